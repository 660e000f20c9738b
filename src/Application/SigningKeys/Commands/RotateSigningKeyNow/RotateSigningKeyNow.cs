using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.SigningKeys.Commands.RotateSigningKeyNow;

/// <summary>
/// An operator's rotation now (emergency, or earlier than scheduled): a new key of <see cref="Algorithm"/>
/// signs at once and the current signer is retired, published until every token it signed has expired,
/// exactly as a scheduled rotation retires it. Unlike the schedule, the new key skips the propagation time:
/// resource servers holding a cached JWKS meet an unknown <c>kid</c> and must refetch the JWKS (what
/// standard libraries do). A pending successor, if any, stays pending and keeps its own schedule.
/// </summary>
public sealed record RotateSigningKeyNow(string? Algorithm) : IRequest<SigningKeyResponse>;

public sealed class RotateSigningKeyNowValidator : AbstractValidator<RotateSigningKeyNow>
{
    public RotateSigningKeyNowValidator() =>
        RuleFor(c => c.Algorithm)
            .NotEmpty()
            .Must(algorithm => algorithm is null || SigningAlgorithms.IsSupported(algorithm))
            .OverridePropertyName("algorithm")
            .WithMessage($"algorithm must be one of {string.Join(", ", SigningAlgorithms.Supported)}.");
}

public sealed partial class RotateSigningKeyNowHandler(
    ISigningKeyRepository keys,
    ISigningKeyMaterialFactory material,
    ISigningKeyRing keyRing,
    IUnitOfWork unitOfWork,
    IOptions<SigningKeyRotationOptions> options,
    TimeProvider clock,
    ILogger<RotateSigningKeyNowHandler> logger) : IRequestHandler<RotateSigningKeyNow, SigningKeyResponse>
{
    public async Task<SigningKeyResponse> Handle(RotateSigningKeyNow request, CancellationToken cancellationToken)
    {
        var algorithm = request.Algorithm!;
        var now = clock.GetUtcNow();
        var current = SigningKeyPolicy.SelectSigningKey(await keys.ListPublishedAsync(cancellationToken), algorithm);
        SigningKey? created = null;

        // Retire, then activate, in one transaction (as the scheduled rotation): the partial unique index
        // "one active key per algorithm" holds after each statement and no reader sees the algorithm without
        // a signer. A concurrent rotation or revocation makes one of the saves fail: 409, nothing written.
        (await unitOfWork.ExecuteInTransactionAsync(async ct =>
        {
            if (current is not null)
            {
                current.Retire(now, now + options.Value.RetentionTime);
                if (await unitOfWork.SaveChangesAsync(ct) is not SaveResult.Saved and var lost)
                {
                    return lost;
                }
            }

            created = material.GenerateAndAdd(keys, algorithm, now, activatesAt: now);
            created.Activate(now);
            return await unitOfWork.SaveChangesAsync(ct);
        }, cancellationToken)).ThrowIfConflict();

        // This replica signs with the new key from now on; the others within Auth:KeyRingRefreshSeconds.
        await keyRing.ReloadAsync(cancellationToken);
        LogRotated(logger, created!.KeyId, algorithm, current?.KeyId);
        return SigningKeyResponse.From(created);
    }

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Signing key {KeyId} ({Algorithm}) signs now by an administrator's rotation; {RetiredKeyId} retired")]
    private static partial void LogRotated(ILogger logger, string keyId, string algorithm, string? retiredKeyId);
}
