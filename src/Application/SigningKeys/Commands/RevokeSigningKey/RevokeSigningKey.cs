using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.SigningKeys.Commands.RevokeSigningKey;

/// <summary>
/// Emergency revocation of a compromised key: it leaves the JWKS, and every token it signed stops
/// validating here (introspection, userinfo and the admin API trust only published keys). This replica
/// reloads its key ring at once; the others within <c>Auth:KeyRingRefreshSeconds</c>. When the key was
/// the active signer of its algorithm, a replacement signs at once in the same transaction (a due pending
/// key, else a new key), so token issuance never stops.
/// </summary>
public sealed record RevokeSigningKey(string KeyId, int? ExpectedVersion = null) : IRequest<SigningKeyResponse>;

public sealed partial class RevokeSigningKeyHandler(
    ISigningKeyRepository keys,
    ISigningKeyMaterialFactory material,
    ISigningKeyRing keyRing,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<RevokeSigningKeyHandler> logger) : IRequestHandler<RevokeSigningKey, SigningKeyResponse>
{
    public async Task<SigningKeyResponse> Handle(RevokeSigningKey request, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(request.KeyId, cancellationToken) ?? throw new NotFoundException("Signing key", request.KeyId);
        Concurrency.Check(key.Version, request.ExpectedVersion);
        var now = clock.GetUtcNow();
        var wasSigning = key.State == SigningKeyState.Active;
        if (!key.Revoke(now))
        {
            throw RequestValidationException.For("state", $"Key {key.KeyId} is {key.State} and cannot be revoked.");
        }

        // Revoke first, then activate the replacement: "one active key per algorithm" holds after each
        // statement, and the transaction makes readers see both or neither.
        (await unitOfWork.ExecuteInTransactionAsync(async ct =>
        {
            var revoked = await unitOfWork.SaveChangesAsync(ct);
            if (revoked != SaveResult.Saved || !wasSigning)
            {
                return revoked;
            }

            ActivateReplacement(await keys.ListPublishedAsync(ct), key.Algorithm, now);
            return await unitOfWork.SaveChangesAsync(ct);
        }, cancellationToken)).ThrowIfConflict();

        await keyRing.ReloadAsync(cancellationToken);
        LogRevoked(logger, key.KeyId, key.Algorithm);
        return SigningKeyResponse.From(key);
    }

    /// <summary>As at first start (EnsureSigningKeys): no live token is signed by an active key of this algorithm, so a key may sign at once.</summary>
    private void ActivateReplacement(IReadOnlyList<SigningKey> published, string algorithm, DateTimeOffset now)
    {
        if (!SigningKeyPolicy.NeedsImmediateKey(published, algorithm))
        {
            return;
        }

        var replacement = SigningKeyPolicy.DuePendingKey(published, algorithm, now) ?? material.GenerateAndAdd(keys, algorithm, now, activatesAt: now);
        replacement.Activate(now);
        LogReplacement(logger, replacement.KeyId, algorithm);
    }

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Signing key {KeyId} ({Algorithm}) revoked by an administrator; removed from the JWKS")]
    private static partial void LogRevoked(ILogger logger, string keyId, string algorithm);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Signing key {KeyId} ({Algorithm}) signs now in place of a revoked key")]
    private static partial void LogReplacement(ILogger logger, string keyId, string algorithm);
}
