using AuthService.Application.Common.Security;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>
/// The public keys a client registered (RFC 7591 §2 <c>jwks</c> or <c>jwks_uri</c>), for verifying what it
/// signs: client assertions (RFC 7523), request objects (RFC 9101), self-signed certificates (RFC 8705 §2.2).
/// </summary>
internal interface IClientKeyResolver
{
    /// <summary>
    /// The client's keys; when <paramref name="kid"/> names none of them and the keys come from
    /// <c>jwks_uri</c>, the set is fetched again first (rate-limited), so a client can rotate its keys.
    /// Empty when the client registered no keys or they cannot be obtained.
    /// </summary>
    ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(ClientSnapshot client, string? kid, CancellationToken cancellationToken);
}
