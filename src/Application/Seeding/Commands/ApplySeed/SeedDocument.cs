using System.Text.Json.Serialization;

namespace AuthService.Application.Seeding.Commands.ApplySeed;

/// <summary>The seed file named by <c>Auth:SeedFile</c> (PRODUCT.md): <c>{"clients": [...], "users": [...]}</c>.</summary>
public sealed record SeedDocument(
    [property: JsonPropertyName("clients")] IReadOnlyList<SeedClient>? Clients,
    [property: JsonPropertyName("users")] IReadOnlyList<SeedUser>? Users);

/// <summary>
/// A client in RFC 7591 §2 metadata names (and OIDC Dynamic Registration's <c>id_token_signed_response_alg</c>),
/// plus three server extensions: <c>access_token_lifetime</c>, <c>audience</c>, <c>require_consent</c>.
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
    [property: JsonPropertyName("id_token_signed_response_alg")] string? IdTokenSignedResponseAlg = null)
{
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
