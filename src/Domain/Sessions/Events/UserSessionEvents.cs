using AuthService.Domain.Common;

namespace AuthService.Domain.Sessions.Events;

public sealed record UserSessionStarted(Guid SessionId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record UserSessionEnded(Guid SessionId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;
