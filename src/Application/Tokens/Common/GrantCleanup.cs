using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Consents;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Tokens.Common;

/// <summary>
/// What deleting a user or a client takes with it: their refresh-token families (revoked first, so every
/// unexpired access token issued from them is denylisted), authorization codes, consents and, for a
/// user, browser sessions. Nothing may outlive its owner: a client registered later under the same id
/// must not inherit a deleted client's consents or refresh tokens.
/// </summary>
public sealed class GrantCleanup(
    GrantRevocation revocation,
    IRefreshTokenFamilyRepository families,
    IAuthorizationCodeRepository codes,
    IConsentRepository consents,
    IUserSessionRepository sessions)
{
    /// <summary>
    /// Step 1, before the deletion's transaction: revoke the owner's families (each commits on its own;
    /// repeating it is harmless, so a deletion that fails later leaves nothing half-done that matters).
    /// </summary>
    public async Task RevokeGrantsAsync(Guid? userId, string? clientId, string reason, CancellationToken cancellationToken)
    {
        foreach (var familyId in await families.ListUnrevokedAsync(userId, clientId, cancellationToken))
        {
            await revocation.RevokeFamilyAsync(familyId, reason, cancellationToken);
        }
    }

    /// <summary>Step 2, inside the deletion's transaction: delete the owner's grants.</summary>
    public async Task DeleteGrantsAsync(Guid? userId, string? clientId, CancellationToken cancellationToken)
    {
        await codes.DeleteAllAsync(userId, clientId, cancellationToken);
        await families.DeleteAllAsync(userId, clientId, cancellationToken);
        await consents.DeleteAllAsync(userId, clientId, cancellationToken);
        if (userId is { } user)
        {
            await sessions.DeleteAllForUserAsync(user, cancellationToken);
        }
    }
}
