using AuthService.Domain.Common;

namespace AuthService.Domain.RefreshTokens.Events;

public sealed record RefreshTokenFamilyStarted(Guid FamilyId, string ClientId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>Reason is a fixed word: <c>reuse</c>, <c>code_replay</c>, <c>revoked_by_client</c>, <c>user_logout</c>, ...</summary>
public sealed record RefreshTokenFamilyRevoked(Guid FamilyId, string ClientId, Guid UserId, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;
