using AuthService.Domain.Common;

namespace AuthService.Domain.Passkeys.Events;

/// <summary>A passkey passed the registration ceremony and belongs to the account now.</summary>
public sealed record PasskeyRegistered(Guid PasskeyId, Guid UserId, string Name, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The person gave a passkey a new name.</summary>
public sealed record PasskeyRenamed(Guid PasskeyId, Guid UserId, string Name, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A passkey was removed, by the person or by an administrator.</summary>
public sealed record PasskeyRemoved(Guid PasskeyId, Guid UserId, string Name, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An assertion was accepted; the counter moved forward (not audited: an ordinary sign-in).</summary>
public sealed record PasskeyUsed(Guid PasskeyId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;
