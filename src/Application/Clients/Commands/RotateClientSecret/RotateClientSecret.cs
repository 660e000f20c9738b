using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Clients.Commands.RotateClientSecret;

/// <summary>
/// Generates a new 256-bit secret for a confidential client, returned once; the client's other secrets keep
/// authenticating for <see cref="PreviousSecretsExpireIn"/> seconds (0: they stop now; default 7 days; at
/// most 30 days), so its deployments can switch without an outage.
/// </summary>
public sealed record RotateClientSecret(string ClientId, int? PreviousSecretsExpireIn, int? ExpectedVersion) : IRequest<RotatedClientSecret>
{
    public const int DefaultGraceSeconds = 7 * 24 * 3600;
    public const int MaxGraceSeconds = 30 * 24 * 3600;
}

/// <summary>The optional body of a rotation: how long, in seconds, the previous secrets keep working.</summary>
public sealed record ClientSecretRotation(int? PreviousSecretsExpireIn = null);

/// <summary>The new secret, shown this once, with its metadata and when the previous secrets stop.</summary>
public sealed record RotatedSecretResponse(
    Guid Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    bool Active,
    string ClientSecret,
    DateTimeOffset PreviousSecretsExpireAt)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"RotatedSecretResponse {{ Id = {Id}, ClientSecret = *** }}";
}

public sealed record RotatedClientSecret(RotatedSecretResponse Secret, int Version);

public sealed class RotateClientSecretHandler(IClientRepository clients, IUnitOfWork unitOfWork, IClientSecretProtector protector, TimeProvider clock)
    : IRequestHandler<RotateClientSecret, RotatedClientSecret>
{
    public async Task<RotatedClientSecret> Handle(RotateClientSecret request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        Concurrency.Check(client.Version, request.ExpectedVersion);
        var now = clock.GetUtcNow();
        var previousExpireAt = now.AddSeconds(request.PreviousSecretsExpireIn ?? RotateClientSecret.DefaultGraceSeconds);
        var secret = OpaqueToken.New();
        var stored = NewClientSecret.For(client.ClientId, client.TokenEndpointAuthMethod, secret, protector);
        var added = client.RotateSecret(stored.Hash, previousExpireAt, now, stored.Protected);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        var metadata = ClientSecretResponse.From(added, now);
        return new RotatedClientSecret(
            new RotatedSecretResponse(metadata.Id, metadata.CreatedAt, metadata.ExpiresAt, metadata.Active, secret, previousExpireAt.ToUniversalTime()),
            client.Version);
    }
}

public sealed class RotateClientSecretValidator : AbstractValidator<RotateClientSecret>
{
    public RotateClientSecretValidator() =>
        RuleFor(x => x.PreviousSecretsExpireIn).InclusiveBetween(0, RotateClientSecret.MaxGraceSeconds)
            .OverridePropertyName("previous_secrets_expire_in")
            .WithMessage($"previous_secrets_expire_in must be between 0 and {RotateClientSecret.MaxGraceSeconds} seconds (30 days).");
}
