using AuthService.Application.Common.Events;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients.Events;
using MediatR;

namespace AuthService.Application.Clients.EventHandlers;

/// <summary>Drops a changed client from this replica's catalog so the next request reads the new state.</summary>
public sealed class InvalidateClientCache(IClientCatalog catalog) :
    INotificationHandler<DomainEventNotification<ClientReconfigured>>,
    INotificationHandler<DomainEventNotification<ClientSecretAdded>>,
    INotificationHandler<DomainEventNotification<ClientDisabled>>,
    INotificationHandler<DomainEventNotification<ClientEnabled>>,
    INotificationHandler<DomainEventNotification<ClientRegistered>>,
    INotificationHandler<DomainEventNotification<ClientSecretRotated>>,
    INotificationHandler<DomainEventNotification<ClientSecretRevoked>>,
    INotificationHandler<DomainEventNotification<ClientDeleted>>
{
    public Task Handle(DomainEventNotification<ClientReconfigured> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    public Task Handle(DomainEventNotification<ClientSecretAdded> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    public Task Handle(DomainEventNotification<ClientDisabled> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    public Task Handle(DomainEventNotification<ClientEnabled> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    // A lookup before registration may have cached "no such client".
    public Task Handle(DomainEventNotification<ClientRegistered> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    public Task Handle(DomainEventNotification<ClientSecretRotated> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    public Task Handle(DomainEventNotification<ClientSecretRevoked> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    public Task Handle(DomainEventNotification<ClientDeleted> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.ClientId);

    private Task Invalidate(string clientId)
    {
        catalog.Invalidate(clientId);
        return Task.CompletedTask;
    }
}
