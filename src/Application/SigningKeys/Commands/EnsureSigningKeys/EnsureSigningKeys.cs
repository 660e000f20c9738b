using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.SigningKeys.Commands.EnsureSigningKeys;

/// <summary>
/// Makes sure every supported algorithm has an active signing key, then loads the key ring. Run at
/// start: on an empty store it creates the first ES256 and RS256 keys.
/// </summary>
public sealed record EnsureSigningKeys : IRequest<Unit>;

public sealed partial class EnsureSigningKeysHandler(
    ISigningKeyRepository keys,
    ISigningKeyMaterialFactory material,
    ISigningKeyRing keyRing,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<EnsureSigningKeysHandler> logger) : IRequestHandler<EnsureSigningKeys, Unit>
{
    public async Task<Unit> Handle(EnsureSigningKeys request, CancellationToken cancellationToken)
    {
        var existing = await keys.ListPublishedAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var changed = false;
        foreach (var algorithm in SigningAlgorithms.Supported)
        {
            if (!SigningKeyPolicy.NeedsImmediateKey(existing, algorithm))
            {
                continue;
            }

            // With no active key there are no live tokens to protect, so a key may sign at once:
            // a pending key that is due is promoted, otherwise a new one is made.
            var key = SigningKeyPolicy.DuePendingKey(existing, algorithm, now) ?? material.GenerateAndAdd(keys, algorithm, now, activatesAt: now);
            key.Activate(now);
            LogActivated(logger, key.KeyId, algorithm);
            changed = true;
        }

        if (changed && await unitOfWork.SaveChangesAsync(cancellationToken) != SaveResult.Saved)
        {
            // Another replica activated a key for the same algorithm first; use theirs.
            LogLostRace(logger);
        }

        await keyRing.ReloadAsync(cancellationToken);
        return Unit.Value;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Signing key {KeyId} ({Algorithm}) activated")]
    private static partial void LogActivated(ILogger logger, string keyId, string algorithm);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Another replica created the signing keys first; using those")]
    private static partial void LogLostRace(ILogger logger);
}
