using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Application.Clients.Common;
using AuthService.Application.Resources.Common;

namespace AuthService.Application.Seeding.Commands.ApplySeed;

/// <summary>The seed file named by <c>Auth:SeedFile</c> (PRODUCT.md): <c>{"clients": [...], "users": [...], "resources": [...], "external_providers": [...]}</c>.</summary>
public sealed record SeedDocument(
    [property: JsonPropertyName("clients")] IReadOnlyList<SeedClient>? Clients,
    [property: JsonPropertyName("users")] IReadOnlyList<SeedUser>? Users)
{
    /// <summary>The protected resources (RFC 8707) clients may name with <c>resource</c>.</summary>
    [JsonPropertyName("resources")]
    public IReadOnlyList<ResourceMetadata>? Resources { get; init; }

    /// <summary>The upstream identity providers people may sign in with (docs/adr/0037).</summary>
    [JsonPropertyName("external_providers")]
    public IReadOnlyList<Federation.Common.ExternalProviderMetadata>? ExternalProviders { get; init; }
}

/// <summary>
/// A client in RFC 7591 §2 metadata names (and OIDC Dynamic Registration's <c>id_token_signed_response_alg</c>,
/// RFC 8705's <c>tls_client_auth_*</c> and <c>tls_client_certificate_bound_access_tokens</c>, RFC 9449's <c>dpop_bound_access_tokens</c>, RFC 9126's
/// <c>require_pushed_authorization_requests</c>, RFC 9101's <c>request_object_signing_alg</c>), plus four
/// server extensions: <c>access_token_lifetime</c>, <c>audience</c>, <c>require_consent</c>, <c>profile</c>; and OIDC Dynamic
/// Registration's <c>default_acr_values</c> with the server extension <c>require_mfa</c> (docs/adr/0032).
/// </summary>
public sealed record SeedClient(
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("client_secret")] string? ClientSecret,
    [property: JsonPropertyName("client_name")] string? ClientName,
    [property: JsonPropertyName("redirect_uris")] IReadOnlyList<string>? RedirectUris,
    [property: JsonPropertyName("post_logout_redirect_uris")] IReadOnlyList<string>? PostLogoutRedirectUris,
    [property: JsonPropertyName("grant_types")] IReadOnlyList<string>? GrantTypes,
    [property: JsonPropertyName("token_endpoint_auth_method")] string? TokenEndpointAuthMethod,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("access_token_lifetime")] int? AccessTokenLifetime,
    [property: JsonPropertyName("audience")] string? Audience,
    [property: JsonPropertyName("require_consent")] bool? RequireConsent = null,
    [property: JsonPropertyName("id_token_signed_response_alg")] string? IdTokenSignedResponseAlg = null,
    [property: JsonPropertyName("jwks")] JsonElement? Jwks = null,
    [property: JsonPropertyName("jwks_uri")] string? JwksUri = null,
    [property: JsonPropertyName("token_endpoint_auth_signing_alg")] string? TokenEndpointAuthSigningAlg = null,
    [property: JsonPropertyName("tls_client_auth_subject_dn")] string? TlsClientAuthSubjectDn = null,
    [property: JsonPropertyName("tls_client_auth_san_dns")] string? TlsClientAuthSanDns = null,
    [property: JsonPropertyName("dpop_bound_access_tokens")] bool? DPoPBoundAccessTokens = null,
    [property: JsonPropertyName("require_pushed_authorization_requests")] bool? RequirePushedAuthorizationRequests = null,
    [property: JsonPropertyName("request_object_signing_alg")] string? RequestObjectSigningAlg = null,
    [property: JsonPropertyName("profile")] string? Profile = null,
    [property: JsonPropertyName("tls_client_certificate_bound_access_tokens")] bool? TlsClientCertificateBoundAccessTokens = null,
    [property: JsonPropertyName("backchannel_logout_uri")] string? BackchannelLogoutUri = null,
    [property: JsonPropertyName("backchannel_logout_session_required")] bool? BackchannelLogoutSessionRequired = null,
    [property: JsonPropertyName("frontchannel_logout_uri")] string? FrontchannelLogoutUri = null,
    [property: JsonPropertyName("frontchannel_logout_session_required")] bool? FrontchannelLogoutSessionRequired = null,
    [property: JsonPropertyName("token_exchange")] TokenExchangeMetadata? TokenExchange = null,
    [property: JsonPropertyName("require_mfa")] bool? RequireMfa = null,
    [property: JsonPropertyName("default_acr_values")] IReadOnlyList<string>? DefaultAcrValues = null,
    [property: JsonPropertyName("token_rate_limit")] int? TokenRateLimit = null)
{
    /// <summary>The same metadata as the admin API takes, so both apply one set of defaults.</summary>
    public ClientMetadata ToMetadata() => new(
        ClientId, ClientName, TokenEndpointAuthMethod, RedirectUris, PostLogoutRedirectUris, GrantTypes, Scope, AccessTokenLifetime,
        Audience, RequireConsent, IdTokenSignedResponseAlg, Jwks, JwksUri, TokenEndpointAuthSigningAlg, TlsClientAuthSubjectDn,
        TlsClientAuthSanDns, DPoPBoundAccessTokens, RequirePushedAuthorizationRequests, RequestObjectSigningAlg, Profile,
        TlsClientCertificateBoundAccessTokens, BackchannelLogoutUri, BackchannelLogoutSessionRequired, FrontchannelLogoutUri,
        FrontchannelLogoutSessionRequired, TokenExchange, RequireMfa, DefaultAcrValues, TokenRateLimit);

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"SeedClient {{ ClientId = {ClientId} }}";
}

public sealed record SeedUser(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email_verified")] bool? EmailVerified)
{
    public override string ToString() => $"SeedUser {{ Username = {Username} }}";
}
