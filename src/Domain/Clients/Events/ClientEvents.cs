using AuthService.Domain.Common;

namespace AuthService.Domain.Clients.Events;

public sealed record ClientRegistered(string ClientId, DateTimeOffset OccurredAt, RegistrationSource Source = RegistrationSource.Static) : IDomainEvent;

public sealed record ClientReconfigured(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientSecretAdded(string ClientId, Guid SecretId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientDisabled(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientEnabled(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A new secret was added and the client's other secrets set to expire at <paramref name="PreviousSecretsExpireAt"/> (the grace period).</summary>
public sealed record ClientSecretRotated(string ClientId, Guid NewSecretId, DateTimeOffset PreviousSecretsExpireAt, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>One secret stopped authenticating at once.</summary>
public sealed record ClientSecretRevoked(string ClientId, Guid SecretId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ClientDeleted(string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;
