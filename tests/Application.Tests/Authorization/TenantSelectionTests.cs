using AuthService.Application.Authorization;
using AuthService.Domain.Tenants;

namespace AuthService.Application.Tests.Authorization;

public class TenantSelectionTests
{
    private static ActiveMembership Membership(string slug) => new(Guid.NewGuid(), slug, slug, TenantPolicy.Default, [TenantRoles.Member]);

    [Fact]
    public void No_active_membership_chooses_none() => Assert.IsType<TenantSelection.NoMembership>(TenantSelection.Among([]));

    [Fact]
    public void The_only_active_membership_is_chosen()
    {
        var only = Membership("acme");

        Assert.Same(only, Assert.IsType<TenantSelection.Chosen>(TenantSelection.Among([only])).Membership);
    }

    [Fact]
    public void Several_are_offered_in_the_order_read()
    {
        var pick = Assert.IsType<TenantSelection.Pick>(TenantSelection.Among([Membership("a1"), Membership("b2")]));

        Assert.Equal(["a1", "b2"], pick.Options.Select(o => o.Slug));
    }
}
