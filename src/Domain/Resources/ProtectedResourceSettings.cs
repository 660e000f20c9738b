namespace AuthService.Domain.Resources;

/// <summary>The configurable part of a protected resource, as declared in the seed file or the admin API.</summary>
/// <param name="Name">The name users see on the consent page.</param>
/// <param name="Scopes">The scopes that belong to the resource: an access token for it carries only these.</param>
/// <param name="AccessTokenLifetime">The lifetime of access tokens for the resource; null means the client's.</param>
/// <param name="AccessTokenSigningAlg">The JWS algorithm of access tokens for the resource; null means the server's default.</param>
/// <param name="IntrospectionClients">The client ids that may introspect tokens issued for the resource (RFC 7662 §2.1).</param>
/// <param name="AllowedClients">The client ids that may ask for tokens for the resource; empty means any client allowed one of its scopes.</param>
public sealed record ProtectedResourceSettings(
    string Name,
    IReadOnlyList<string> Scopes,
    TimeSpan? AccessTokenLifetime = null,
    string? AccessTokenSigningAlg = null,
    IReadOnlyList<string>? IntrospectionClients = null,
    IReadOnlyList<string>? AllowedClients = null);
