namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// The web origins of registered clients (the scheme, host and port of their redirect URIs): the only
/// origins whose browser code may call the token, UserInfo and revocation endpoints (OAuth 2.1 §6.1
/// browser-based clients; RFC 9700 §2.6). Served from memory, refreshed like the client cache.
/// </summary>
public interface IWebOrigins
{
    ValueTask<bool> IsAllowedAsync(string origin, CancellationToken cancellationToken);
}
