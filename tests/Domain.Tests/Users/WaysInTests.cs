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
        Assert.False(WaysIn.Of(Person(passwordHash: null), passkey: false, linkedIdentities: 1).AllowsUnlinkingOne);
    }

    [Theory] // Something else is left: the password, a passkey, or a second link.
    [InlineData(true, false, 1)]
    [InlineData(false, true, 1)]
    [InlineData(false, false, 2)]
    public void A_link_may_go_when_another_way_in_remains(bool password, bool passkey, int links)
    {
        Assert.True(WaysIn.Of(Person(password ? "v1$hash" : null), passkey, links).AllowsUnlinkingOne);
    }

    [Fact]
    public void There_is_nothing_to_unlink_without_a_link()
    {
        Assert.False(new WaysIn(Password: true, Passkey: true, LinkedIdentities: 0).AllowsUnlinkingOne);
    }
}
