using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Persistence;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;

namespace AuthService.Application.Tokens.Common;

/// <summary>
/// Revokes what a grant issued: a refresh token family and every unexpired access token issued from it
/// (they go on the denylist until they expire, so introspection and userinfo refuse them). A revocation must not
/// be lost to a concurrent rotation of the same family, so a conflict is retried on fresh state.
/// </summary>
public sealed class GrantRevocation(
    IRefreshTokenFamilyRepository families,
    IRevokedAccessTokenRepository revocations,
    IUnitOfWork unitOfWork,
    TimeProvider clock)
{
    /// <remarks>A revocation still lost after every attempt is not answered as done: the request fails (409).</remarks>
    public async Task RevokeFamilyAsync(Guid familyId, string reason, CancellationToken cancellationToken) =>
        (await ConflictRetry.RunAsync(ct => RevokeFamilyOnceAsync(familyId, reason, ct), cancellationToken)).ThrowIfConflict();

    /// <summary>Denylists one access token; denied concurrently, the rerun finds it denied already.</summary>
    public async Task DenyAccessTokenAsync(string? jwtId, DateTimeOffset? expiresAt, string clientId, CancellationToken cancellationToken) =>
        (await ConflictRetry.RunAsync(async ct =>
            await AddDenialAsync(jwtId, expiresAt, clientId, clock.GetUtcNow(), ct) ? await unitOfWork.SaveChangesAsync(ct) : SaveResult.Saved,
            cancellationToken)).ThrowIfConflict();

    /// <summary>Rotated (or revoked) concurrently, the rerun reads the family again and revokes what is there now.</summary>
    private async Task<SaveResult> RevokeFamilyOnceAsync(Guid familyId, string reason, CancellationToken cancellationToken)
    {
        var family = await families.FindAsync(familyId, cancellationToken);
        var now = clock.GetUtcNow();
        if (family is null || !family.Revoke(reason, now))
        {
            return SaveResult.Saved;
        }

        foreach (var token in family.AccessTokens)
        {
            await AddDenialAsync(token.JwtId, token.ExpiresAt, family.ClientId, now, cancellationToken);
        }

        return await unitOfWork.SaveChangesAsync(cancellationToken);
    }

    private async Task<bool> AddDenialAsync(string? jwtId, DateTimeOffset? expiresAt, string clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (jwtId is null || expiresAt is not { } expires || expires <= now || await revocations.IsRevokedAsync(jwtId, cancellationToken))
        {
            return false;
        }

        revocations.Add(RevokedAccessToken.Record(jwtId, clientId, expires, now));
        return true;
    }
}
