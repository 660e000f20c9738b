using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Users;

namespace AuthService.Application.Common.Security;

/// <summary>
/// A token outlives neither its owners' deletion nor their disabling: an administrator who disables a
/// compromised client or user expects their tokens to stop at once, not when they expire, even if a
/// denylisting step was interrupted. The owners are the client the token was issued to and its subject:
/// that client itself, a user (one lookup by primary key, as at UserInfo), or, for a token obtained by
/// token exchange (RFC 8693), another client or an external issuer's subject (<see cref="ExternalSubject"/>), which
/// stands while that issuer is still trusted. Clients come from the client cache.
/// </summary>
public sealed class AccessTokenOwners(IClientCatalog clients, IUserRepository users, IExternalTokenValidator? externalTokens = null)
{
    /// <summary>
    /// Whether the token's owners still stand behind it. With <paramref name="mintingAt"/> the token is about to be
    /// exchanged for a new one, so a user subject must also be allowed new tokens then (not locked out, as at refresh).
    /// </summary>
    public async Task<bool> AreCurrentAsync(ValidatedAccessToken token, CancellationToken cancellationToken, DateTimeOffset? mintingAt = null)
    {
        if (!await VouchesAsync(token.ClientId, token, cancellationToken))
        {
            return false;
        }

        if (token.Subject == token.ClientId)
        {
            return true;
        }

        if (Guid.TryParse(token.Subject, out var userId))
        {
            return mintingAt is { } now
                ? await users.FindByIdAsync(userId, cancellationToken) is { } user && user.MayReceiveTokens(now)
                : await users.IsEnabledAsync(userId, cancellationToken);
        }

        return ExternalSubject.IssuerOf(token.Subject) is { } issuer && externalTokens?.IsTrusted(issuer) == true
            || await VouchesAsync(token.Subject, token, cancellationToken);
    }

    private Task<bool> VouchesAsync(string clientId, ValidatedAccessToken token, CancellationToken cancellationToken) =>
        ClientVouchesAsync(clientId, token.IssuedAt, cancellationToken);

    /// <summary>Whether the client still stands behind a token (or grant) issued to it at <paramref name="issuedAt"/>: it exists, is enabled, and was not recreated since.</summary>
    public async Task<bool> ClientVouchesAsync(string clientId, DateTimeOffset issuedAt, CancellationToken cancellationToken) =>
        await clients.FindAsync(clientId, cancellationToken) is { } client && client.Vouches(issuedAt);
}
