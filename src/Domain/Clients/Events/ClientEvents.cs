using AuthService.Domain.Common;

namespace AuthService.Domain.Clients.Events;

public sealed record ClientRegistered(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientReconfigured(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientSecretAdded(string ClientId, Guid SecretId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientDisabled(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientEnabled(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;
