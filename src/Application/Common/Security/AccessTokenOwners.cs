using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Users;

namespace AuthService.Application.Common.Security;

/// <summary>
/// A token outlives neither its owners' deletion nor their disabling: an administrator who disables a
/// compromised client or user expects their tokens to stop at once, not when they expire, even if a
/// denylisting step was interrupted. The owners are the client the token was issued to and its subject:
/// that client itself, a user (one lookup by primary key, as at UserInfo), or, for a token obtained by
/// token exchange (RFC 8693), another client. Clients come from the client cache.
/// </summary>
public sealed class AccessTokenOwners(IClientCatalog clients, IUserRepository users)
{
    public async Task<bool> AreCurrentAsync(ValidatedAccessToken token, CancellationToken cancellationToken)
    {
        if (!await VouchesAsync(token.ClientId, token, cancellationToken))
        {
            return false;
        }

        if (token.Subject == token.ClientId)
        {
            return true;
        }

        return Guid.TryParse(token.Subject, out var userId)
            ? await users.FindByIdAsync(userId, cancellationToken) is { Disabled: false }
            : token.Actor is not null && await VouchesAsync(token.Subject, token, cancellationToken);
    }

    private async Task<bool> VouchesAsync(string clientId, ValidatedAccessToken token, CancellationToken cancellationToken) =>
        await clients.FindAsync(clientId, cancellationToken) is { } client && client.Vouches(token.IssuedAt);
}
