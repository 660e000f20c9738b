using AuthService.Domain.Common;

namespace AuthService.Domain.Federation.Events;

/// <summary>An administrator (or the seed) created or changed an upstream provider (<paramref name="Change"/>: created, updated).</summary>
public sealed record ExternalProviderChanged(Guid ProviderId, string Name, string Change, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An administrator deleted an upstream provider (one no identity was linked to).</summary>
public sealed record ExternalProviderDeleted(Guid ProviderId, string Name, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An upstream identity was linked to an account (<paramref name="How"/>: provisioned or linked).</summary>
public sealed record ExternalIdentityLinked(Guid IdentityId, Guid UserId, Guid ProviderId, string How, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A link was removed, by the person or an administrator.</summary>
public sealed record ExternalIdentityUnlinked(Guid IdentityId, Guid UserId, Guid ProviderId, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;
