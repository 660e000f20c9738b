using AuthService.Domain.Users;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Users;

public class WaysInTests
{
    private static User Person(string? passwordHash) =>
        User.Register(Guid.NewGuid(), new UserProfile("jane", "jane@example.com", true, "Jane"), passwordHash, "stamp-0123456789", Now);

    [Fact]
    public void The_only_link_of_an_account_without_password_or_passkey_cannot_be_unlinked()
    {
        Assert.False(WaysIn.Of(Person(passwordHash: null), passkeys: 0, linkedIdentities: 1).AllowsUnlinkingOne);
    }

    [Theory] // Something else is left: the password, a passkey, or a second link.
    [InlineData(true, 0, 1)]
    [InlineData(false, 1, 1)]
    [InlineData(false, 0, 2)]
    public void A_link_may_go_when_another_way_in_remains(bool password, int passkeys, int links)
    {
        Assert.True(WaysIn.Of(Person(password ? "v1$hash" : null), passkeys, links).AllowsUnlinkingOne);
    }

    [Fact]
    public void The_only_passkey_of_an_account_without_password_or_link_cannot_be_removed()
    {
        Assert.False(new WaysIn(Password: false, Passkeys: 1, LinkedIdentities: 0).AllowsRemovingOnePasskey);
    }

    [Theory] // The password, a second passkey, or a link is left.
    [InlineData(true, 1, 0)]
    [InlineData(false, 2, 0)]
    [InlineData(false, 1, 1)]
    public void A_passkey_may_go_when_another_way_in_remains(bool password, int passkeys, int links)
    {
        Assert.True(new WaysIn(password, passkeys, links).AllowsRemovingOnePasskey);
    }

    [Fact]
    public void There_is_nothing_to_remove_without_one()
    {
        Assert.False(new WaysIn(Password: true, Passkeys: 3, LinkedIdentities: 0).AllowsUnlinkingOne);
        Assert.False(new WaysIn(Password: true, Passkeys: 0, LinkedIdentities: 3).AllowsRemovingOnePasskey);
    }
}
