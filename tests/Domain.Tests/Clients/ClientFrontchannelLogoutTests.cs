using AuthService.Domain.Clients;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

/// <summary>The URL the logout page frames for a client (OpenID Connect Front-Channel Logout 1.0 §2).</summary>
public class ClientFrontchannelLogoutTests
{
    private const string Issuer = "https://op.example";
    private const string Sid = "2f1b5a8e-0c3d-4e6f-9a7b-1c2d3e4f5a6b";

    private static Client With(string? uri, bool sessionRequired = false) =>
        Client.Register("spa", Public() with { FrontchannelLogoutUri = uri, FrontchannelLogoutSessionRequired = sessionRequired }, secret: null, Now);

    [Fact]
    public void Without_a_registered_uri_nothing_is_framed() =>
        Assert.Null(With(null).FrontchannelLogoutUrl(Issuer, Sid));

    [Fact]
    public void Without_session_required_the_registered_uri_is_framed_as_it_is() =>
        Assert.Equal("https://c1.example/logout", With("https://c1.example/logout").FrontchannelLogoutUrl(Issuer, Sid));

    [Theory]
    [InlineData("https://c1.example/logout", "https://c1.example/logout?iss=https%3A%2F%2Fop.example&sid=" + Sid)]
    [InlineData("https://c1.example/logout?a=1", "https://c1.example/logout?a=1&iss=https%3A%2F%2Fop.example&sid=" + Sid)]
    [InlineData("https://c1.example/logout?", "https://c1.example/logout?iss=https%3A%2F%2Fop.example&sid=" + Sid)]
    public void With_session_required_iss_and_sid_are_appended_to_the_registered_query(string uri, string expected) =>
        Assert.Equal(expected, With(uri, sessionRequired: true).FrontchannelLogoutUrl(Issuer, Sid));

    [Fact]
    public void A_disabled_client_is_not_framed()
    {
        var client = With("https://c1.example/logout", sessionRequired: true);
        Assert.True(client.Disable(Now.AddMinutes(1)));
        Assert.Null(client.FrontchannelLogoutUrl(Issuer, Sid));
    }

    [Fact]
    public void Session_required_without_a_uri_is_refused() =>
        Assert.Equal("frontchannel_logout_session_required", Assert.Throws<AuthService.Domain.Common.DomainRuleViolationException>(() => With(null, sessionRequired: true)).Field);

    // Front-Channel Logout 1.0 §2: the framed page is on the origin of a registered redirect URI (https://c1.example/cb).
    [Theory]
    [InlineData("https://c2.example/logout")]
    [InlineData("https://c1.example:8443/logout")]
    [InlineData("https://sub.c1.example/logout")]
    public void A_uri_on_another_origin_than_every_redirect_uri_is_refused(string uri) =>
        Assert.Equal("frontchannel_logout_uri", Assert.Throws<AuthService.Domain.Common.DomainRuleViolationException>(() => With(uri)).Field);

    [Fact]
    public void The_origin_comparison_ignores_the_host_case_and_an_explicit_default_port() =>
        Assert.NotNull(With("https://C1.Example:443/logout").FrontchannelLogoutUri);
}
