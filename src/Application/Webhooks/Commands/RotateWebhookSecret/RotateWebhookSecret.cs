using AuthService.Application.Common.Exceptions;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Commands.RotateWebhookSecret;

/// <summary>
/// A new secret, answered this once; the previous one stays valid for <see cref="IWebhookSecrets.PreviousSecretGrace"/>
/// and deliveries carry both signatures meanwhile (Standard Webhooks "Signature scheme": several space-separated
/// signatures, so a receiver can switch over without dropping a delivery).
/// </summary>
public sealed record RotateWebhookSecret(Guid Id, int? ExpectedVersion, WebhookTenantScope? Tenant = null) : IRequest<RotatedWebhookSecret>;

public sealed record RotatedWebhookSecret(WebhookSecretResponse Response, int Version);

public sealed class RotateWebhookSecretHandler(WebhookScoping scoping, IWebhookSecrets secrets, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RotateWebhookSecret, RotatedWebhookSecret>
{
    public async Task<RotatedWebhookSecret> Handle(RotateWebhookSecret request, CancellationToken cancellationToken)
    {
        var (subscription, _) = await scoping.FindAsync(request.Id, request.Tenant, cancellationToken);
        Concurrency.Check(subscription.Version, request.ExpectedVersion);
        var secret = secrets.Generate();
        subscription.RotateSecret(secrets.Protect(subscription.Id, secret), secrets.PreviousSecretGrace, clock.GetUtcNow());
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new RotatedWebhookSecret(new WebhookSecretResponse(secret, subscription.PreviousSecretExpiresAt), subscription.Version);
    }
}
