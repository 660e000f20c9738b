using AuthService.Application.Audit;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants.Events;

namespace AuthService.Application.Tests.Tenants;

/// <summary>
/// The tenant audit records are the contract with the webhooks (docs/adr/0038): type, subject "tenant" with the tenant's id
/// in "D" format, the slug in Details["tenant"] and, for member events, the member in Details["user_id"].
/// </summary>
public sealed class TenantAuditEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid TenantId = Guid.Parse("0b8f3c2e-6a8d-4c59-9d55-3f0f5c3a9e21");
    private static readonly Guid UserId = Guid.Parse("5d1c0e4a-2f7b-4a7e-8c1d-9b3e6f2a1c47");
    private static readonly Guid InvitationId = Guid.Parse("8e2a7f10-3c4d-4b1e-a5f6-7d8e9f0a1b2c");

    public static TheoryData<IDomainEvent, string, bool> Audited => new()
    {
        { new TenantCreated(TenantId, "acme", Now), "tenant.created", false },
        { new TenantUpdated(TenantId, "acme", Now), "tenant.updated", false },
        { new TenantDeleted(TenantId, "acme", Now), "tenant.deleted", false },
        { new TenantMemberAdded(TenantId, "acme", UserId, ["admin"], "admin", Now), "tenant.member.added", true },
        { new TenantMemberRemoved(TenantId, "acme", UserId, "admin", Now), "tenant.member.removed", true },
        { new TenantMemberRolesChanged(TenantId, "acme", UserId, ["owner"], Now), "tenant.member.roles_changed", true },
        { new TenantInvitationSent(TenantId, "acme", InvitationId, ["member"], false, Now), "tenant.invite.sent", false },
        { new TenantInvitationAccepted(TenantId, "acme", InvitationId, UserId, Now), "tenant.invite.accepted", true },
        { new TenantInvitationWithdrawn(TenantId, "acme", InvitationId, Now), "tenant.invite.withdrawn", false },
    };

    [Theory]
    [MemberData(nameof(Audited))]
    public void Each_tenant_event_is_filed_under_the_tenant_with_its_slug(IDomainEvent domainEvent, string type, bool namesUser)
    {
        var record = AuditEvents.From(domainEvent)!;

        Assert.Equal((type, "tenant", "0b8f3c2e-6a8d-4c59-9d55-3f0f5c3a9e21"), (record.EventType, record.SubjectType, record.SubjectId));
        Assert.Equal("acme", record.Details!["tenant"]);
        Assert.Equal(namesUser ? UserId.ToString() : null, record.Details.TryGetValue("user_id", out var user) ? user : null);
    }
}
