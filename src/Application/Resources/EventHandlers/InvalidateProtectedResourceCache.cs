using AuthService.Application.Common.Events;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Resources.Events;
using MediatR;

namespace AuthService.Application.Resources.EventHandlers;

/// <summary>Drops a changed resource from this replica's catalog so the next introspection reads the new state.</summary>
public sealed class InvalidateProtectedResourceCache(IProtectedResourceCatalog catalog) :
    INotificationHandler<DomainEventNotification<ProtectedResourceRegistered>>,
    INotificationHandler<DomainEventNotification<ProtectedResourceReconfigured>>,
    INotificationHandler<DomainEventNotification<ProtectedResourceDisabled>>,
    INotificationHandler<DomainEventNotification<ProtectedResourceEnabled>>,
    INotificationHandler<DomainEventNotification<ProtectedResourceDeleted>>
{
    // A lookup before registration may have cached "not registered".
    public Task Handle(DomainEventNotification<ProtectedResourceRegistered> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.Resource);

    public Task Handle(DomainEventNotification<ProtectedResourceReconfigured> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.Resource);

    public Task Handle(DomainEventNotification<ProtectedResourceDisabled> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.Resource);

    public Task Handle(DomainEventNotification<ProtectedResourceEnabled> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.Resource);

    public Task Handle(DomainEventNotification<ProtectedResourceDeleted> notification, CancellationToken cancellationToken) =>
        Invalidate(notification.DomainEvent.Resource);

    private Task Invalidate(string resource)
    {
        catalog.Invalidate(resource);
        return Task.CompletedTask;
    }
}
