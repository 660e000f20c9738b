using AuthService.Domain.Common;

namespace AuthService.Domain.SigningKeys.Events;

public sealed record SigningKeyGenerated(string KeyId, string Algorithm, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SigningKeyActivated(string KeyId, string Algorithm, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SigningKeyRetired(string KeyId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SigningKeyRemoved(string KeyId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record SigningKeyRevoked(string KeyId, DateTimeOffset OccurredAt) : IDomainEvent;
