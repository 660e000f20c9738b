using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;

namespace AuthService.Application.Registration.Common;

/// <summary>
/// A registration or update body (RFC 7591 §2, §3.1; RFC 7592 §2.2) read into the <see cref="ClientMetadata"/> the
/// admin API uses, so one set of rules (the <see cref="Client"/> aggregate and <see cref="ClientMetadataRules{T}"/>)
/// validates every way a client comes to exist. Only the members below are read: anything else (unknown members,
/// and the server's own extensions such as <c>require_consent</c> or <c>audience</c>, which are not the client's to
/// choose) is ignored and never stored or echoed (RFC 7591 §2, §3.2.1).
/// </summary>
public sealed record RegistrationRequest(ClientMetadata Metadata, string? ClientId, string? ClientSecret, bool HasSoftwareStatement, IReadOnlyList<string>? ResponseTypes)
    : IClientMetadataRequest
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Never prints the client secret an update may carry.</summary>
    public override string ToString() => $"RegistrationRequest {{ ClientId = {ClientId}, ClientSecret = *** }}";

    private static readonly string[] MetadataMembers =
    [
        "client_name", "redirect_uris", "post_logout_redirect_uris", "grant_types", "scope", "token_endpoint_auth_method",
        "jwks", "jwks_uri", "token_endpoint_auth_signing_alg", "id_token_signed_response_alg", "dpop_bound_access_tokens",
        "backchannel_logout_uri", "backchannel_logout_session_required", "frontchannel_logout_uri", "frontchannel_logout_session_required",
        "default_acr_values",
    ];

    /// <summary>The token endpoint authentication methods a client may register for itself (docs/adr/0027).</summary>
    public static readonly IReadOnlyList<string> AllowedAuthMethods =
    [
        TokenEndpointAuthMethods.None, TokenEndpointAuthMethods.ClientSecretBasic, TokenEndpointAuthMethods.ClientSecretPost, TokenEndpointAuthMethods.PrivateKeyJwt,
    ];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    private static readonly Regex MemberOfPath = new(@"^\$\.([a-z_]+)", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    public static ProtocolResult<RegistrationRequest> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return OAuthError.RegistrationBodyInvalid;
        }

        var known = new JsonObject();
        foreach (var member in body.EnumerateObject())
        {
            if (MetadataMembers.Contains(member.Name, StringComparer.Ordinal))
            {
                known[member.Name] = JsonNode.Parse(member.Value.GetRawText());
            }
        }

        ClientMetadata? metadata;
        try
        {
            metadata = known.Deserialize<ClientMetadata>(Json);
        }
        catch (JsonException e)
        {
            return e.Path is { } path && MemberOfPath.Match(path) is { Success: true } match
                ? OAuthError.InvalidClientMetadata(match.Groups[1].Value)
                : OAuthError.RegistrationBodyInvalid;
        }

        var clientId = StringMember(body, "client_id", out var clientIdValid);
        var clientSecret = StringMember(body, "client_secret", out var secretValid);
        if (!clientIdValid || !secretValid)
        {
            return OAuthError.InvalidClientMetadata(clientIdValid ? "client_secret" : "client_id");
        }

        IReadOnlyList<string>? responseTypes = null;
        if (body.TryGetProperty("response_types", out var types) && types.ValueKind != JsonValueKind.Null)
        {
            if (types.ValueKind != JsonValueKind.Array || types.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                return OAuthError.InvalidClientMetadata("response_types");
            }

            responseTypes = [.. types.EnumerateArray().Select(t => t.GetString()!)];
        }

        var hasStatement = body.TryGetProperty("software_statement", out var statement) && statement.ValueKind != JsonValueKind.Null;
        return new RegistrationRequest(metadata ?? new ClientMetadata(), clientId, clientSecret, hasStatement, responseTypes);
    }

    /// <summary>
    /// The operator's policy (RFC 7591 §2: the server may refuse or replace what it does not allow) and the RFC 7591 §2
    /// defaults: <c>client_secret_basic</c>, <c>authorization_code</c>, and the allowed scopes when <c>scope</c> is absent.
    /// Returns the metadata to register, with consent always required.
    /// </summary>
    public ProtocolResult<ClientMetadata> ApplyPolicy(RegistrationOptions options)
    {
        if (HasSoftwareStatement)
        {
            return OAuthError.SoftwareStatementNotSupported;
        }

        var method = Metadata.TokenEndpointAuthMethod ?? TokenEndpointAuthMethods.ClientSecretBasic;
        if (!AllowedAuthMethods.Contains(method, StringComparer.Ordinal))
        {
            return OAuthError.ClientMetadataNotAllowed("token_endpoint_auth_method");
        }

        var grantTypes = Metadata.GrantTypes ?? [GrantTypes.AuthorizationCode];
        if (grantTypes.Any(g => !options.GrantTypes.Contains(g, StringComparer.Ordinal)))
        {
            return OAuthError.ClientMetadataNotAllowed("grant_types");
        }

        // RFC 7591 §2.1: response_types and grant_types must agree; this server issues codes only.
        if (ResponseTypes is { } responseTypes
            && (responseTypes.Any(t => t != "code") || (responseTypes.Count > 0) != grantTypes.Contains(GrantTypes.AuthorizationCode)))
        {
            return OAuthError.InvalidClientMetadata("response_types");
        }

        // The keys of a self-registered client are fetched only over https (RFC 7591 §2 jwks_uri; the fetcher refuses internal addresses).
        if (Metadata.JwksUri is { } jwksUri && !jwksUri.StartsWith("https://", StringComparison.Ordinal))
        {
            return OAuthError.ClientMetadataNotAllowed("jwks_uri");
        }

        // An empty scope asks for nothing in particular: it gets the default, as an absent one does.
        var scopes = Metadata.Scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } named ? named : null;
        if (scopes is not null && scopes.Any(s => !options.Scopes.Contains(s, StringComparer.Ordinal)))
        {
            return OAuthError.ClientMetadataNotAllowed("scope");
        }

        return Metadata with
        {
            TokenEndpointAuthMethod = method,
            GrantTypes = grantTypes,
            Scope = scopes is null ? string.Join(' ', options.Scopes) : string.Join(' ', scopes),
            RequireConsent = true,
        };
    }

    /// <summary>The same list checks as the admin API (<see cref="ClientMetadataRules{T}"/>), as an RFC 7591 §3.2.2 error.</summary>
    public OAuthError? CheckLists()
    {
        var failure = new ClientMetadataRules<RegistrationRequest>().Validate(this).Errors.FirstOrDefault();
        return failure is null ? null : ErrorFor(failure.PropertyName);
    }

    /// <summary>A refused rule of the aggregate, as RFC 7591 §3.2.2 names it.</summary>
    public static OAuthError ErrorFor(DomainRuleViolationException violation) => ErrorFor(violation.Field);

    private static OAuthError ErrorFor(string field) =>
        field is "redirect_uris" or "post_logout_redirect_uris" ? OAuthError.InvalidRedirectUri : OAuthError.InvalidClientMetadata(field);

    private static string? StringMember(JsonElement body, string name, out bool valid)
    {
        valid = true;
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        valid = value.ValueKind == JsonValueKind.String;
        return valid ? value.GetString() : null;
    }
}
