using AuthService.Domain.Common;

namespace AuthService.Domain.Users.Events;

public sealed record UserRegistered(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserProfileUpdated(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserPasswordChanged(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserLockedOut(Guid UserId, DateTimeOffset LockoutEndsAt, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserUnlocked(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserDisabled(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserEnabled(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserDeleted(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;
