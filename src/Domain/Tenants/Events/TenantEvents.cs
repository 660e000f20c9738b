using AuthService.Domain.Common;

namespace AuthService.Domain.Tenants.Events;

/// <summary>A tenant was created (by the platform administrator).</summary>
public sealed record TenantCreated(Guid TenantId, string Slug, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A tenant's display name, status or policy changed.</summary>
public sealed record TenantUpdated(Guid TenantId, string Slug, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A tenant without members was deleted, with its invitations.</summary>
public sealed record TenantDeleted(Guid TenantId, string Slug, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A person became a member (<paramref name="How"/>: <c>admin</c> or <c>invitation</c>).</summary>
public sealed record TenantMemberAdded(Guid TenantId, string Slug, Guid UserId, IReadOnlyList<string> Roles, string How, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A membership ended (<paramref name="Reason"/>: <c>admin</c> or <c>user_deleted</c>).</summary>
public sealed record TenantMemberRemoved(Guid TenantId, string Slug, Guid UserId, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A member's roles were replaced.</summary>
public sealed record TenantMemberRolesChanged(Guid TenantId, string Slug, Guid UserId, IReadOnlyList<string> Roles, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An invitation link was sent (<paramref name="Resent"/>: a new link replacing the earlier one).</summary>
public sealed record TenantInvitationSent(Guid TenantId, string Slug, Guid InvitationId, IReadOnlyList<string> Roles, bool Resent, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The invited person accepted and became a member.</summary>
public sealed record TenantInvitationAccepted(Guid TenantId, string Slug, Guid InvitationId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An open invitation was withdrawn: its link no longer works.</summary>
public sealed record TenantInvitationWithdrawn(Guid TenantId, string Slug, Guid InvitationId, DateTimeOffset OccurredAt) : IDomainEvent;
