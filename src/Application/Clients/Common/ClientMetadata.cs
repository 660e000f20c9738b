using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Domain.Clients;
using AuthService.Domain.SigningKeys;
using FluentValidation;

namespace AuthService.Application.Clients.Common;

/// <summary>
/// The body of a registration or update: RFC 7591 client metadata with the names of the seed file
/// (<c>scope</c> space-separated, <c>access_token_lifetime</c> in seconds, <c>token_rate_limit</c> token requests per
/// second, absent for the server's default). Only these members are
/// accepted; anything else (a <c>client_secret</c>, an <c>id</c>, <c>enabled</c>) is refused as unknown.
/// </summary>
public sealed record ClientMetadata(
    string? ClientId = null,
    string? ClientName = null,
    string? TokenEndpointAuthMethod = null,
    IReadOnlyList<string>? RedirectUris = null,
    IReadOnlyList<string>? PostLogoutRedirectUris = null,
    IReadOnlyList<string>? GrantTypes = null,
    string? Scope = null,
    int? AccessTokenLifetime = null,
    string? Audience = null,
    bool? RequireConsent = null,
    string? IdTokenSignedResponseAlg = null,
    JsonElement? Jwks = null,
    string? JwksUri = null,
    string? TokenEndpointAuthSigningAlg = null,
    string? TlsClientAuthSubjectDn = null,
    string? TlsClientAuthSanDns = null,
    [property: JsonPropertyName("dpop_bound_access_tokens")] bool? DPoPBoundAccessTokens = null,
    bool? RequirePushedAuthorizationRequests = null,
    string? RequestObjectSigningAlg = null,
    string? Profile = null,
    bool? TlsClientCertificateBoundAccessTokens = null,
    string? BackchannelLogoutUri = null,
    bool? BackchannelLogoutSessionRequired = null,
    string? FrontchannelLogoutUri = null,
    bool? FrontchannelLogoutSessionRequired = null,
    TokenExchangeMetadata? TokenExchange = null,
    bool? RequireMfa = null,
    IReadOnlyList<string>? DefaultAcrValues = null,
    int? TokenRateLimit = null)
{
    /// <summary>
    /// The settings with RFC 7591 §2 defaults for absent members: <c>client_secret_basic</c>,
    /// <c>authorization_code</c>, no scope; as the seed (<c>ApplySeedHandler.ToSettings</c>) the name
    /// defaults to the client_id, the lifetime to one hour, consent to required and ID tokens to RS256
    /// (ES256 for a <c>fapi2</c> client, whose profile does not allow RS256). <c>jwks</c> is kept as the
    /// JSON text it was sent as. An update replaces every setting, so an absent member takes its default there too.
    /// </summary>
    public ClientSettings ToSettings(string clientId) => new(
        ClientName: ClientName ?? clientId,
        TokenEndpointAuthMethod: TokenEndpointAuthMethod ?? TokenEndpointAuthMethods.ClientSecretBasic,
        RedirectUris: RedirectUris ?? [],
        PostLogoutRedirectUris: PostLogoutRedirectUris ?? [],
        GrantTypes: GrantTypes ?? [Domain.Clients.GrantTypes.AuthorizationCode],
        AllowedScopes: Scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
        AccessTokenLifetime: AccessTokenLifetime is { } seconds ? TimeSpan.FromSeconds(seconds) : ClientSettings.DefaultAccessTokenLifetime,
        Audience: Audience)
    {
        RequireConsent = RequireConsent ?? true,
        IdTokenSignedResponseAlg = IdTokenSignedResponseAlg ?? (Profile == ClientProfiles.Fapi2 ? SigningAlgorithms.ES256 : SigningAlgorithms.RS256),
        Jwks = Jwks is { ValueKind: not JsonValueKind.Null } jwks ? jwks.GetRawText() : null,
        JwksUri = JwksUri,
        TokenEndpointAuthSigningAlg = TokenEndpointAuthSigningAlg,
        TlsClientAuthSubjectDn = TlsClientAuthSubjectDn,
        TlsClientAuthSanDns = TlsClientAuthSanDns,
        DPoPBoundAccessTokens = DPoPBoundAccessTokens ?? false,
        TlsClientCertificateBoundAccessTokens = TlsClientCertificateBoundAccessTokens ?? false,
        RequirePushedAuthorizationRequests = RequirePushedAuthorizationRequests ?? false,
        RequestObjectSigningAlg = RequestObjectSigningAlg,
        BackchannelLogoutUri = BackchannelLogoutUri,
        BackchannelLogoutSessionRequired = BackchannelLogoutSessionRequired ?? false,
        FrontchannelLogoutUri = FrontchannelLogoutUri,
        FrontchannelLogoutSessionRequired = FrontchannelLogoutSessionRequired ?? false,
        Profile = Profile,
        TokenExchange = TokenExchange?.ToPolicy() ?? TokenExchangePolicy.None,
        RequireMfa = RequireMfa ?? false,
        DefaultAcrValues = DefaultAcrValues ?? [],
        TokenRateLimit = TokenRateLimit,
    };
}

/// <summary>
/// The <c>token_exchange</c> member (a server extension, RFC 8693 §5 leaves the policy to the server): <c>audiences</c>
/// (registered resources an exchanged token may be for), <c>subject_clients</c> (whose tokens, besides its own, the
/// client may exchange), <c>subject_issuers</c> (trusted external issuers whose JWTs it may exchange),
/// <c>impersonation</c> (exchange without an actor token). Absent members are empty or false.
/// </summary>
public sealed record TokenExchangeMetadata(
    [property: JsonPropertyName("audiences")] IReadOnlyList<string>? Audiences = null,
    [property: JsonPropertyName("subject_clients")] IReadOnlyList<string>? SubjectClients = null,
    [property: JsonPropertyName("subject_issuers")] IReadOnlyList<string>? SubjectIssuers = null,
    [property: JsonPropertyName("impersonation")] bool? Impersonation = null)
{
    public TokenExchangePolicy ToPolicy() => new()
    {
        Audiences = [.. Audiences ?? []], SubjectClients = [.. SubjectClients ?? []], SubjectIssuers = [.. SubjectIssuers ?? []],
        Impersonation = Impersonation ?? false,
    };

    /// <summary>What the admin API shows: null for a client without a policy.</summary>
    public static TokenExchangeMetadata? From(TokenExchangePolicy policy) =>
        policy.IsNone ? null : new([.. policy.Audiences], [.. policy.SubjectClients], [.. policy.SubjectIssuers], policy.Impersonation);
}

/// <summary>A request that carries client metadata.</summary>
public interface IClientMetadataRequest
{
    ClientMetadata Metadata { get; }
}

/// <summary>
/// What the Client aggregate cannot check itself: a body at all, and lists without null entries
/// (JSON <c>null</c> in a string list). Everything else is the aggregate's rule, reported under its
/// RFC 7591 field name.
/// </summary>
public sealed class ClientMetadataRules<T> : AbstractValidator<T>
    where T : IClientMetadataRequest
{
    public const int MaxScopeLength = ScopeRules.MaxScopes * (ScopeRules.MaxScopeLength + 1);

    public ClientMetadataRules()
    {
        RuleFor(x => x.Metadata).NotNull().OverridePropertyName("body").WithMessage("A JSON object of client metadata is required.");
        When(x => x.Metadata is not null, () =>
        {
            RuleFor(x => x.Metadata.RedirectUris).Must(NoEmptyEntries).OverridePropertyName("redirect_uris")
                .WithMessage("redirect_uris must not contain null or empty entries.");
            RuleFor(x => x.Metadata.PostLogoutRedirectUris).Must(NoEmptyEntries).OverridePropertyName("post_logout_redirect_uris")
                .WithMessage("post_logout_redirect_uris must not contain null or empty entries.");
            RuleFor(x => x.Metadata.GrantTypes).Must(NoEmptyEntries).OverridePropertyName("grant_types")
                .WithMessage("grant_types must not contain null or empty entries.");
            RuleFor(x => x.Metadata.DefaultAcrValues).Must(NoEmptyEntries).OverridePropertyName("default_acr_values")
                .WithMessage("default_acr_values must not contain null or empty entries.");
            RuleFor(x => x.Metadata.TokenExchange).Must(t => t is null || (NoEmptyEntries(t.Audiences) && NoEmptyEntries(t.SubjectClients) && NoEmptyEntries(t.SubjectIssuers)))
                .OverridePropertyName("token_exchange").WithMessage("token_exchange lists must not contain null or empty entries.");
            RuleFor(x => x.Metadata.Scope!.Length).LessThanOrEqualTo(MaxScopeLength).When(x => x.Metadata.Scope is not null)
                .OverridePropertyName("scope").WithMessage($"scope must be at most {MaxScopeLength} characters.");
        });
    }

    private static bool NoEmptyEntries(IReadOnlyList<string>? values) => values is null || values.All(v => !string.IsNullOrEmpty(v));
}
