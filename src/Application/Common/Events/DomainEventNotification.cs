using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Common.Events;

/// <summary>
/// Carries a domain event through MediatR (the domain references no package). Published by the unit
/// of work after a successful save, never before.
/// </summary>
public sealed record DomainEventNotification<TEvent>(TEvent DomainEvent) : INotification
    where TEvent : IDomainEvent;
