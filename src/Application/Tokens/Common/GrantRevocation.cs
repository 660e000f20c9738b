using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Persistence;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;

namespace AuthService.Application.Tokens.Common;

/// <summary>
/// Revokes what a grant issued: a refresh token family and every unexpired access token issued from it (one denylist entry
/// for the family, which every token issued from it names, until the last of them expires, so introspection, userinfo and
/// the admin API refuse them; docs/adr/0040). A revocation must not
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

        // Revoked, the family issues nothing more (its version guards every rotation), so "every token issued before now"
        // is every token that names it.
        await AddDenialAsync(RevokedAccessToken.FamilyEntryId(family.AccessTokenKey), family.AccessTokensExpireAt, family.ClientId, now, cancellationToken);
        foreach (var token in family.LegacyAccessTokens)
        {
            await AddDenialAsync(token.JwtId, token.ExpiresAt, family.ClientId, now, cancellationToken);
        }

        return await unitOfWork.SaveChangesAsync(cancellationToken);
    }

    private async Task<bool> AddDenialAsync(string? jwtId, DateTimeOffset? expiresAt, string clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (jwtId is null || expiresAt is not { } expires || expires <= now || await revocations.IsRecordedAsync(jwtId, cancellationToken))
        {
            return false;
        }

        revocations.Add(RevokedAccessToken.Record(jwtId, clientId, expires, now));
        return true;
    }
}
