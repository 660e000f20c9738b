using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.SigningKeys.Commands.RotateSigningKeys;

/// <summary>
/// Scheduled rotation: publish a successor ahead of time, switch signing to it when due, retire the
/// old key, and remove retired keys once every token they signed has expired (docs/adr/0011).
/// </summary>
public sealed record RotateSigningKeys : IRequest<Unit>;

public sealed partial class RotateSigningKeysHandler(
    ISigningKeyRepository keys,
    ISigningKeyMaterialFactory material,
    ISigningKeyRing keyRing,
    IUnitOfWork unitOfWork,
    IOptions<SigningKeyRotationOptions> options,
    TimeProvider clock,
    ILogger<RotateSigningKeysHandler> logger) : IRequestHandler<RotateSigningKeys, Unit>
{
    public async Task<Unit> Handle(RotateSigningKeys request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var existing = await keys.ListPublishedAsync(cancellationToken);
        var plans = SigningAlgorithms.Supported
            .Select(algorithm => (Algorithm: algorithm, Plan: SigningKeyRotationPolicy.Plan(existing, algorithm, now, options.Value.ToSchedule())))
            .Where(p => !p.Plan.IsEmpty)
            .ToList();
        if (plans.Count > 0)
        {
            if (await unitOfWork.ExecuteInTransactionAsync(ct => ApplyAsync(plans, now, ct), cancellationToken) != SaveResult.Saved)
            {
                // Another replica rotated the same keys at the same moment; its result stands.
                LogLostRace(logger);
            }
        }

        await keyRing.ReloadAsync(cancellationToken);
        return Unit.Value;
    }

    /// <summary>
    /// Two saves in one transaction: first retire the old key (and publish or remove others), then
    /// activate its successor, so "one active key per algorithm" holds after every statement and no
    /// reader ever sees an algorithm without a signing key.
    /// </summary>
    private async Task<SaveResult> ApplyAsync(IReadOnlyList<(string Algorithm, KeyRotationPlan Plan)> plans, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (algorithm, plan) in plans)
        {
            if (plan.GeneratePendingActivatingAt is { } activatesAt)
            {
                var published = material.GenerateAndAdd(keys, algorithm, now, activatesAt);
                LogPublished(logger, published.KeyId, algorithm, activatesAt);
            }

            if (plan.Retire is { } retiring)
            {
                retiring.Retire(now, plan.RetiredRemovableAt!.Value);
                LogRetired(logger, retiring.KeyId, algorithm, plan.RetiredRemovableAt.Value);
            }

            foreach (var removed in plan.Remove)
            {
                removed.Remove(now);
                LogRemoved(logger, removed.KeyId, algorithm);
            }
        }

        if (await unitOfWork.SaveChangesAsync(cancellationToken) is not SaveResult.Saved and var lost)
        {
            return lost;
        }

        foreach (var (algorithm, plan) in plans)
        {
            if (plan.Activate is { } activating)
            {
                activating.Activate(now);
                LogActivated(logger, activating.KeyId, algorithm);
            }
        }

        return await unitOfWork.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Signing key {KeyId} ({Algorithm}) published; it signs from {ActivatesAt:O}")]
    private static partial void LogPublished(ILogger logger, string keyId, string algorithm, DateTimeOffset activatesAt);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Signing key {KeyId} ({Algorithm}) now signs")]
    private static partial void LogActivated(ILogger logger, string keyId, string algorithm);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Signing key {KeyId} ({Algorithm}) retired; published until {RemovableAt:O}")]
    private static partial void LogRetired(ILogger logger, string keyId, string algorithm, DateTimeOffset removableAt);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Signing key {KeyId} ({Algorithm}) removed from the JWKS")]
    private static partial void LogRemoved(ILogger logger, string keyId, string algorithm);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Another replica rotated the signing keys first; using its result")]
    private static partial void LogLostRace(ILogger logger);
}
