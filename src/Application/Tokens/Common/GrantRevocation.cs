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
    private const int MaxAttempts = 5;

    public async Task RevokeFamilyAsync(Guid familyId, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var family = await families.FindAsync(familyId, cancellationToken);
            var now = clock.GetUtcNow();
            if (family is null || !family.Revoke(reason, now))
            {
                return;
            }

            foreach (var token in family.AccessTokens)
            {
                await AddDenialAsync(token.JwtId, token.ExpiresAt, family.ClientId, now, cancellationToken);
            }

            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is ConcurrencyConflictException or UniquenessConflictException && attempt < MaxAttempts)
            {
                // Rotated (or revoked) concurrently: read it again and revoke what is there now.
            }
        }
    }

    public async Task DenyAccessTokenAsync(string? jwtId, DateTimeOffset? expiresAt, string clientId, CancellationToken cancellationToken)
    {
        if (await AddDenialAsync(jwtId, expiresAt, clientId, clock.GetUtcNow(), cancellationToken))
        {
            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
            }
            catch (UniquenessConflictException)
            {
                // Denied concurrently: the outcome is the same.
            }
        }
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
