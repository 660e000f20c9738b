using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Sessions;

/// <summary>The device details a session keeps from its sign-in: untrusted request values, made safe to show.</summary>
public class SessionDeviceTests
{
    [Fact]
    public void A_session_keeps_the_device_it_was_started_from()
    {
        var session = UserSession.Start(Guid.NewGuid(), OpaqueToken.HashOf(OpaqueToken.New()), UserId, Stamp,
            new SessionLifetimes(TimeSpan.FromHours(8), TimeSpan.FromHours(1)), Now, SessionDevice.Of("Mozilla/5.0 (X11; Linux)", "203.0.113.7"));

        Assert.Equal("Mozilla/5.0 (X11; Linux)", session.UserAgent);
        Assert.Equal("203.0.113.7", session.Address);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("   ", null)]
    [InlineData("  Mozilla/5.0  ", "Mozilla/5.0")]
    [InlineData("evil\r\nX-Injected: 1", "evil??X-Injected: 1")]
    [InlineData("Navigateur é \u202Egnp.exe", "Navigateur ? ?gnp.exe")]
    [InlineData("tab\there\0", "tab?here?")]
    public void The_user_agent_keeps_printable_ascii_only(string? userAgent, string? expected) =>
        Assert.Equal(expected, SessionDevice.Of(userAgent, null).UserAgent);

    [Fact]
    public void A_long_user_agent_is_cut_to_the_maximum()
    {
        var device = SessionDevice.Of(new string('a', 5000), null);
        Assert.Equal(new string('a', SessionDevice.MaxUserAgentLength), device.UserAgent);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("fe80::1%eth0", "fe80::1")]
    [InlineData("not an address", null)]
    [InlineData("203.0.113.7, 10.0.0.1", null)]
    [InlineData(null, null)]
    public void The_address_is_kept_only_as_a_canonical_ip_address(string? address, string? expected) =>
        Assert.Equal(expected, SessionDevice.Of("ua", address).Address);
}
