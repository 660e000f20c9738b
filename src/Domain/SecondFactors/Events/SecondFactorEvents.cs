using AuthService.Domain.Common;

namespace AuthService.Domain.SecondFactors.Events;

/// <summary>A TOTP authenticator was confirmed with a typed code: the account now has a second factor.</summary>
public sealed record SecondFactorEnrolled(Guid UserId, string Method, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The account's second factors (TOTP and backup codes) were removed, by the person or by an administrator.</summary>
public sealed record SecondFactorRemoved(Guid UserId, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A new set of backup codes replaced the old one (every old code is dead).</summary>
public sealed record BackupCodesRegenerated(Guid UserId, int Count, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A TOTP code was accepted; its step is now used (not audited: an ordinary sign-in step).</summary>
public sealed record TotpCodeAccepted(Guid UserId, long TimeStep, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A backup code was spent; <paramref name="Remaining"/> are left.</summary>
public sealed record BackupCodeUsed(Guid UserId, int Remaining, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An authenticator that was never confirmed was discarded.</summary>
public sealed record PendingTotpDiscarded(Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;
