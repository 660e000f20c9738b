using AuthService.Domain.Common;

namespace AuthService.Domain.Resources.Events;

public sealed record ProtectedResourceRegistered(string Resource, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ProtectedResourceReconfigured(string Resource, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ProtectedResourceDisabled(string Resource, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ProtectedResourceEnabled(string Resource, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ProtectedResourceDeleted(string Resource, DateTimeOffset OccurredAt) : IDomainEvent;
