using AuthService.Domain.Tenants;
using AuthService.Domain.Tenants.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Tenants;

public class TenantMembershipTests
{
    private readonly Tenant _tenant = Tenant.Create(Guid.NewGuid(), "acme", "Acme", TenantStatus.Active, TenantPolicy.Default, Now);

    private static TenantActor AdminActor => TenantActor.Member(Guid.NewGuid(), [TenantRoles.Admin]);

    private static TenantActor OwnerActor => TenantActor.Member(Guid.NewGuid(), [TenantRoles.Owner]);

    private TenantMembership Add(string[] roles, TenantActor? actor = null) =>
        TenantMembership.Add(Guid.NewGuid(), _tenant, Guid.NewGuid(), roles, actor ?? TenantActor.Platform, TenantMembership.AddedByAdmin, Now);

    [Fact]
    public void Roles_are_stored_known_once_and_in_a_fixed_order()
    {
        var membership = Add(["member", "admin", "admin"]);

        Assert.Equal(["admin", "member"], membership.Roles);
        Assert.True(membership.ManagesTenant);
        Assert.False(membership.IsOwner);
        var added = Assert.IsType<TenantMemberAdded>(Assert.Single(membership.DomainEvents));
        Assert.Equal(("acme", membership.UserId), (added.Slug, added.UserId));
    }

    [Fact]
    public void An_unknown_role_or_none_is_refused()
    {
        AssertRefused("roles", () => Add(["superuser"]));
        AssertRefused("roles", () => Add([]));
    }

    [Fact]
    public void A_member_manages_nothing() => Assert.False(Add(["member"]).ManagesTenant);

    [Fact]
    public void Only_an_owner_or_the_platform_grants_owner()
    {
        AssertRefused("roles", () => Add(["owner"], AdminActor));
        Assert.True(Add(["owner"], OwnerActor).IsOwner);
        Assert.True(Add(["owner"]).IsOwner);

        var member = Add(["member"]);
        AssertRefused("roles", () => member.ChangeRoles(_tenant, ["owner"], AdminActor, otherOwners: 1, Now));
        Assert.Equal(["member"], member.Roles);
    }

    [Fact]
    public void An_admin_may_change_roles_below_owner()
    {
        var member = Add(["member"]);

        Assert.True(member.ChangeRoles(_tenant, ["admin"], AdminActor, otherOwners: 1, Now.AddMinutes(1)));
        Assert.Equal(["admin"], member.Roles);
        Assert.IsType<TenantMemberRolesChanged>(member.DomainEvents[^1]);
        Assert.False(member.ChangeRoles(_tenant, ["admin"], AdminActor, otherOwners: 1, Now.AddMinutes(2)));
    }

    [Fact]
    public void The_last_owner_cannot_be_demoted_or_removed()
    {
        var owner = Add(["owner"]);

        AssertRefused("roles", () => owner.ChangeRoles(_tenant, ["admin"], TenantActor.Platform, otherOwners: 0, Now));
        AssertRefused("roles", () => owner.Remove(_tenant, TenantActor.Platform, otherOwners: 0, Now));
        Assert.True(owner.IsOwner);
    }

    [Fact]
    public void An_owner_with_another_owner_beside_may_be_demoted_by_an_owner_only()
    {
        var owner = Add(["owner"]);

        AssertRefused("roles", () => owner.ChangeRoles(_tenant, ["admin"], AdminActor, otherOwners: 1, Now));
        AssertRefused("roles", () => owner.Remove(_tenant, AdminActor, otherOwners: 1, Now));
        Assert.True(owner.ChangeRoles(_tenant, ["admin"], OwnerActor, otherOwners: 1, Now.AddMinutes(1)));
        Assert.False(owner.IsOwner);
    }

    [Fact]
    public void An_owner_change_moves_the_tenants_owner_marker_so_racing_changes_conflict()
    {
        var owner = Add(["owner"]);
        var marked = _tenant.OwnersChangedAt;

        owner.ChangeRoles(_tenant, ["admin"], TenantActor.Platform, otherOwners: 1, Now.AddMinutes(5));

        Assert.Equal(Now, marked);
        Assert.Equal(Now.AddMinutes(5), _tenant.OwnersChangedAt);
    }

    [Fact]
    public void A_users_deletion_removes_even_the_last_owner()
    {
        var owner = Add(["owner"]);

        owner.RemoveWithUser(_tenant, Now);

        Assert.Equal(TenantMembership.RemovedWithUser, Assert.IsType<TenantMemberRemoved>(owner.DomainEvents[^1]).Reason);
    }
}
