using System.Text.Json.Serialization;
using AuthService.Domain.Tenants;

namespace AuthService.Application.Tenants.Common;

/// <summary>A tenant as the admin API takes it: <c>slug</c> (create only; may be repeated, never changed), <c>display_name</c>, <c>status</c>, <c>policy</c>.</summary>
public sealed record TenantBody(
    [property: JsonPropertyName("slug")] string? Slug,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("status")] string? Status = null,
    [property: JsonPropertyName("policy")] TenantPolicyBody? Policy = null);

/// <summary>The sign-in policy (docs/adr/0038; the e-mail domains bound who joins, the rest is for the sign-in). Absent members: the defaults.</summary>
public sealed record TenantPolicyBody(
    [property: JsonPropertyName("require_mfa")] bool? RequireMfa = null,
    [property: JsonPropertyName("allowed_sign_in_methods")] IReadOnlyList<string>? AllowedSignInMethods = null,
    [property: JsonPropertyName("allowed_email_domains")] IReadOnlyList<string>? AllowedEmailDomains = null)
{
    public TenantPolicy ToPolicy() => TenantPolicy.Create(RequireMfa ?? false, AllowedSignInMethods, AllowedEmailDomains);

    public static TenantPolicyBody From(TenantPolicy policy) => new(policy.RequireMfa, policy.AllowedSignInMethods, policy.AllowedEmailDomains);
}

public sealed record TenantResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("policy")] TenantPolicyBody Policy,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static TenantResponse From(Tenant tenant) =>
        new(tenant.Id, tenant.Slug, tenant.DisplayName, tenant.Status.Name(), TenantPolicyBody.From(tenant.Policy), tenant.CreatedAt, tenant.UpdatedAt);
}

/// <summary>A tenant and its version (the <c>ETag</c>).</summary>
public sealed record TenantResult(TenantResponse Tenant, int Version);

/// <summary><c>user_id</c> (adding) and <c>roles</c> (adding, changing).</summary>
public sealed record TenantMemberBody(
    [property: JsonPropertyName("user_id")] Guid? UserId = null,
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles = null);

public sealed record TenantMemberResponse(
    [property: JsonPropertyName("user_id")] Guid UserId,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static TenantMemberResponse From(TenantMembership membership) =>
        new(membership.UserId, membership.Roles, membership.CreatedAt, membership.UpdatedAt);
}

public sealed record TenantMemberResult(TenantMemberResponse Member, int Version);

/// <summary><c>email</c> and <c>roles</c> of a new invitation.</summary>
public sealed record TenantInvitationBody(
    [property: JsonPropertyName("email")] string? Email = null,
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles = null);

/// <summary>
/// An invitation. <c>invitation_link</c> is present only in the answer to a create or a re-send, and only when this server
/// sends no e-mail (no SMTP server configured): then the administrator passes the link on (docs/adr/0038).
/// </summary>
public sealed record TenantInvitationResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("accepted_at")] DateTimeOffset? AcceptedAt,
    [property: JsonPropertyName("accepted_by")] Guid? AcceptedBy,
    [property: JsonPropertyName("withdrawn_at")] DateTimeOffset? WithdrawnAt,
    [property: JsonPropertyName("invitation_link"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InvitationLink = null)
{
    public static TenantInvitationResponse From(TenantInvitation invitation, DateTimeOffset now, string? link = null) =>
        new(invitation.Id, invitation.TenantId, invitation.Email, invitation.Roles, invitation.StateAt(now), invitation.CreatedAt, invitation.ExpiresAt,
            invitation.AcceptedAt, invitation.AcceptedBy, invitation.WithdrawnAt, link);

    /// <summary>Never the link: it is a bearer secret until used.</summary>
    public override string ToString() => $"TenantInvitationResponse {{ Id = {Id}, State = {State} }}";
}

public sealed record TenantInvitationResult(TenantInvitationResponse Invitation, int Version);
