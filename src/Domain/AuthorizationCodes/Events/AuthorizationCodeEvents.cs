using AuthService.Domain.Common;

namespace AuthService.Domain.AuthorizationCodes.Events;

public sealed record AuthorizationCodeRedeemed(string CodeHash, string ClientId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A used code was presented again with valid client credentials and verifier (RFC 9700 §4.2.4).</summary>
public sealed record AuthorizationCodeReplayed(string CodeHash, string ClientId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;
