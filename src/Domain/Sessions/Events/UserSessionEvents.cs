using AuthService.Domain.Common;

namespace AuthService.Domain.Sessions.Events;

public sealed record UserSessionStarted(Guid SessionId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserSessionEnded(Guid SessionId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The session, signed in with the password alone, was raised to two factors (step-up).</summary>
public sealed record UserSessionSteppedUp(Guid SessionId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;
