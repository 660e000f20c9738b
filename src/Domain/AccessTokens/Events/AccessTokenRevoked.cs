using AuthService.Domain.Common;

namespace AuthService.Domain.AccessTokens.Events;

/// <summary>A denylist entry was recorded: <paramref name="JwtId"/> is a token's jti or a family's entry id, denied until <paramref name="ExpiresAt"/>.</summary>
public sealed record AccessTokenRevoked(string JwtId, string ClientId, DateTimeOffset OccurredAt, DateTimeOffset ExpiresAt) : IDomainEvent;
