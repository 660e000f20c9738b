using AuthService.Domain.Common;

namespace AuthService.Domain.AccessTokens.Events;

public sealed record AccessTokenRevoked(string JwtId, string ClientId, DateTimeOffset OccurredAt) : IDomainEvent;
