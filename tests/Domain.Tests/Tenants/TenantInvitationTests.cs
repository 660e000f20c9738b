using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Tenants.Events;
using AuthService.Domain.Users;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Tenants;

public class TenantInvitationTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private readonly Tenant _tenant = Tenant.Create(Guid.NewGuid(), "acme", "Acme", TenantStatus.Active, TenantPolicy.Default, Now);

    private TenantInvitation Invite(string email = "Grace@Acme.Example", string[]? roles = null, TenantActor? actor = null) =>
        TenantInvitation.Create(Guid.NewGuid(), _tenant, email, roles ?? ["member"], actor ?? TenantActor.Platform, OpaqueToken.HashOf(OpaqueToken.New()), Week, Now);

    private static User Person(string email, bool verified = true) =>
        User.Register(Guid.NewGuid(), new UserProfile("grace-" + Guid.NewGuid().ToString("N")[..6], email, verified, null), PasswordHash, Stamp, Now);

    [Fact]
    public void The_invited_address_verified_accepts_once_and_becomes_a_member_with_the_roles()
    {
        var invitation = Invite(roles: ["admin"]);
        var grace = Person("grace@acme.example");

        var (use, membership) = invitation.Accept(_tenant, grace, Guid.NewGuid(), Now.AddHours(1));

        Assert.Equal(TenantInvitationUse.Usable, use);
        Assert.Equal((grace.Id, _tenant.Id), (membership!.UserId, membership.TenantId));
        Assert.Equal(["admin"], membership.Roles);
        Assert.Equal("accepted", invitation.StateAt(Now.AddHours(1)));
        Assert.IsType<TenantInvitationAccepted>(invitation.DomainEvents[^1]);
        Assert.Equal(TenantMembership.AddedByInvitation, Assert.IsType<TenantMemberAdded>(Assert.Single(membership.DomainEvents)).How);

        var again = invitation.Accept(_tenant, grace, Guid.NewGuid(), Now.AddHours(2));
        Assert.Equal((TenantInvitationUse.AlreadyUsed, (TenantMembership?)null), again);
    }

    [Fact]
    public void Another_account_or_an_unverified_address_is_refused()
    {
        var invitation = Invite();

        Assert.Equal(TenantInvitationUse.WrongAccount, invitation.Accept(_tenant, Person("mallory@acme.example"), Guid.NewGuid(), Now).Use);
        Assert.Equal(TenantInvitationUse.EmailNotVerified, invitation.Accept(_tenant, Person("grace@acme.example", verified: false), Guid.NewGuid(), Now).Use);
        Assert.Equal("open", invitation.StateAt(Now));
    }

    [Fact]
    public void It_expires_at_exactly_its_expiry()
    {
        var invitation = Invite();

        Assert.Equal(TenantInvitationUse.Usable, invitation.Check(_tenant, null, Now + Week - TimeSpan.FromTicks(1)));
        Assert.Equal(TenantInvitationUse.Expired, invitation.Check(_tenant, null, Now + Week));
        Assert.Equal(TenantInvitationUse.Expired, invitation.Accept(_tenant, Person("grace@acme.example"), Guid.NewGuid(), Now + Week).Use);
    }

    [Fact]
    public void A_withdrawn_invitation_is_refused_and_cannot_be_resent()
    {
        var invitation = Invite();

        invitation.Withdraw(_tenant, Now);

        Assert.Equal(TenantInvitationUse.Withdrawn, invitation.Check(_tenant, Person("grace@acme.example"), Now));
        AssertRefused("invitation", () => invitation.Resend(_tenant, OpaqueToken.HashOf(OpaqueToken.New()), Week, Now));
        AssertRefused("invitation", () => invitation.Withdraw(_tenant, Now));
    }

    [Fact]
    public void Resending_replaces_the_token_and_starts_the_lifetime_again()
    {
        var invitation = Invite();
        var oldHash = invitation.TokenHash;
        var newHash = OpaqueToken.HashOf(OpaqueToken.New());

        invitation.Resend(_tenant, newHash, Week, Now + Week + TimeSpan.FromDays(1));

        Assert.False(invitation.HasToken(oldHash));
        Assert.True(invitation.HasToken(newHash));
        Assert.Equal(Now + Week + TimeSpan.FromDays(1) + Week, invitation.ExpiresAt);
        Assert.True(Assert.IsType<TenantInvitationSent>(invitation.DomainEvents[^1]).Resent);
    }

    [Fact]
    public void Only_an_owner_or_the_platform_invites_an_owner()
    {
        AssertRefused("roles", () => Invite(roles: ["owner"], actor: TenantActor.Member(Guid.NewGuid(), ["admin"])));
        Assert.Equal(["owner"], Invite(roles: ["owner"], actor: TenantActor.Member(Guid.NewGuid(), ["owner"])).Roles);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("a@b@c")]
    [InlineData("")]
    public void A_bad_address_is_refused_under_email(string email) => AssertRefused("email", () => Invite(email));

    [Fact]
    public void The_address_is_normalized_as_the_user_aggregate_does() =>
        Assert.Equal(User.Normalize("grace@acme.example"), Invite("Grace@Acme.Example").NormalizedEmail);

    [Fact]
    public void A_suspended_tenant_refuses_the_link_to_everyone_and_is_joined_again_once_active()
    {
        var invitation = Invite();
        var grace = Person("grace@acme.example");
        _tenant.Update("Acme", TenantStatus.Suspended, TenantPolicy.Default, Now);

        Assert.Equal(TenantInvitationUse.TenantSuspended, invitation.Check(_tenant, null, Now));
        Assert.Equal((TenantInvitationUse.TenantSuspended, (TenantMembership?)null), invitation.Accept(_tenant, grace, Guid.NewGuid(), Now));
        Assert.Equal("open", invitation.StateAt(Now));

        _tenant.Update("Acme", TenantStatus.Active, TenantPolicy.Default, Now);
        Assert.Equal(TenantInvitationUse.Usable, invitation.Accept(_tenant, grace, Guid.NewGuid(), Now).Use);
    }

    [Fact]
    public void An_invitation_is_created_only_for_an_address_at_an_allowed_domain()
    {
        _tenant.Update("Acme", TenantStatus.Active, TenantPolicy.Create(false, [], ["acme.example"]), Now);

        AssertRefused("email", () => Invite("grace@elsewhere.example"));
        AssertRefused("email", () => Invite("grace@eu.acme.example"));
        Assert.Equal("Grace@ACME.Example", Invite("Grace@ACME.Example").Email);
    }

    [Fact]
    public void A_policy_narrowed_after_sending_refuses_the_link_and_a_new_one()
    {
        var invitation = Invite("grace@acme.example");
        _tenant.Update("Acme", TenantStatus.Active, TenantPolicy.Create(false, [], ["other.example"]), Now);

        Assert.Equal(TenantInvitationUse.DomainNotAllowed, invitation.Check(_tenant, null, Now));
        Assert.Equal(TenantInvitationUse.DomainNotAllowed, invitation.Accept(_tenant, Person("grace@acme.example"), Guid.NewGuid(), Now).Use);
        AssertRefused("email", () => invitation.Resend(_tenant, OpaqueToken.HashOf(OpaqueToken.New()), Week, Now));
        Assert.Equal("open", invitation.StateAt(Now));
    }

    [Fact]
    public void An_invitation_is_checked_against_its_own_tenant_only()
    {
        var other = Tenant.Create(Guid.NewGuid(), "other", "Other", TenantStatus.Active, TenantPolicy.Default, Now);

        Assert.Throws<InvalidOperationException>(() => Invite().Check(other, null, Now));
    }
}
