using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Interop;
using AuthService.Integration.Tests.SignIn;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Logout;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 through the real pipeline: a session in which client BL got tokens ends
/// (RP-initiated logout, admin, password change), the notification is stored in the outbox with the logout, and the
/// worker POSTs a logout token that validates against the published JWKS, also after the receiver was down.
/// </summary>
public sealed class BackchannelLogoutTests(BackchannelLogoutFixture server) : IClassFixture<BackchannelLogoutFixture>
{
    private const string Event = "http://schemas.openid.net/event/backchannel-logout";

    private async Task<(EndSessionTokens Tokens, string Sid, Browser Browser)> SignedInAsync()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid",
            BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLSecret, BackchannelLogoutFixture.BLRedirect);

        // A second client in the same session without a backchannel_logout_uri: never notified.
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        return (tokens, Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>(), browser);
    }

    private async Task<JsonWebToken> ReceivedTokenAsync(string sid)
    {
        var received = await Poll.UntilAsync(
            () => Task.FromResult(server.Receiver.Received.FirstOrDefault(r => r.Form.TryGetValue("logout_token", out var t) && Jose.Payload(t)["sid"]?.GetValue<string>() == sid)),
            r => r is not null, TimeSpan.FromSeconds(30), $"a logout token for session {sid}");
        Assert.StartsWith("application/x-www-form-urlencoded", received!.ContentType, StringComparison.Ordinal);
        Assert.Equal(["logout_token"], received.Form.Keys);
        var token = received.Form["logout_token"];

        // §2.6: the RP validates the signature with the OP's published keys, iss, aud, iat/exp, and the typ.
        var jwks = new JsonWebKeySet(await server.Client.GetStringAsync(PublishedKeys.JwksPath));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = TestClients.Issuer,
            ValidAudience = BackchannelLogoutFixture.BL,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["logout+jwt"],
            RequireExpirationTime = true,
        });
        Assert.True(result.IsValid, $"The logout token does not validate: {result.Exception?.Message}");
        return (JsonWebToken)result.SecurityToken;
    }

    [Fact]
    public async Task Rp_initiated_logout_posts_a_valid_logout_token_to_the_client_of_the_session()
    {
        var (tokens, sid, browser) = await SignedInAsync();
        using var _ = browser;

        using var logout = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", tokens.IdToken)));
        Assert.True(logout.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther, $"Logout answered {(int)logout.StatusCode}");

        var jwt = await ReceivedTokenAsync(sid);
        Assert.Equal("logout+jwt", jwt.Typ);
        Assert.Equal(tokens.IdTokenSubject, jwt.Subject);
        Assert.Equal(sid, jwt.GetClaim("sid").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.False(jwt.TryGetPayloadValue<string>("nonce", out var nonce), $"A logout token never carries a nonce (§2.4): {nonce}");
        var events = JsonDocument.Parse(Jose.Payload(jwt.EncodedToken)["events"]!.ToJsonString()).RootElement;
        Assert.Equal(JsonValueKind.Object, events.GetProperty(Event).ValueKind);
        Assert.Empty(events.GetProperty(Event).EnumerateObject());

        // The same token through an unmodified relying-party library: npm jose verifies it against the JWKS.
        var (exitCode, stdout, stderr) = await NodeScript.RunAsync("logout-token.mjs", jwt.EncodedToken,
            await server.Client.GetStringAsync(PublishedKeys.JwksPath), TestClients.Issuer, BackchannelLogoutFixture.BL);
        Assert.True(exitCode == 0, stderr);
        var verifiedByJose = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.True(verifiedByJose.GetProperty("verified").GetBoolean(), stdout);
        Assert.Equal(sid, verifiedByJose.GetProperty("sid").GetString());
        Assert.Equal(tokens.IdTokenSubject, verifiedByJose.GetProperty("sub").GetString());
        Assert.False(verifiedByJose.GetProperty("has_nonce").GetBoolean());
        Assert.True(verifiedByJose.GetProperty("backchannel_event").GetBoolean());

        var notification = await server.NotificationAsync(sid, "delivered");
        Assert.Equal("logout", notification.GetProperty("reason").GetString());
        Assert.Equal(server.Receiver.Uri, notification.GetProperty("backchannel_logout_uri").GetString());
        Assert.Equal(JsonValueKind.Null, notification.GetProperty("last_error").ValueKind);
        Assert.DoesNotContain(await server.NotificationsAsync(SignInClients.CW), n => n.GetProperty("session_id").GetString() == sid);
    }

    [Fact]
    public async Task A_receiver_outage_is_retried_until_delivered_and_the_state_is_visible()
    {
        var (tokens, sid, browser) = await SignedInAsync();
        using var _ = browser;
        server.Receiver.Down = true;
        try
        {
            using var logout = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", tokens.IdToken)));
            var failing = await server.NotificationAsync(sid, "pending", minAttempts: 2);
            Assert.Equal("the URL answered 503", failing.GetProperty("last_error").GetString());
            Assert.Equal(JsonValueKind.String, failing.GetProperty("next_attempt_at").ValueKind);
        }
        finally
        {
            server.Receiver.Down = false;
        }

        var delivered = await server.NotificationAsync(sid, "delivered", minAttempts: 3);
        Assert.Equal(JsonValueKind.Null, delivered.GetProperty("last_error").ValueKind);
        await ReceivedTokenAsync(sid);
    }

    [Fact]
    public async Task Ending_the_session_in_the_admin_api_notifies_the_client()
    {
        var (tokens, sid, browser) = await SignedInAsync();
        using var _ = browser;
        using var admin = await server.AdminAsync();
        var userId = tokens.IdTokenSubject;

        using var ended = await admin.DeleteAsync($"/admin/users/{userId}/sessions/{sid}");
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);

        Assert.Equal("admin", (await server.NotificationAsync(sid, "delivered")).GetProperty("reason").GetString());
        await ReceivedTokenAsync(sid);
    }

    [Fact]
    public async Task A_password_change_notifies_the_clients_of_every_session_of_the_user()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid",
            BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLSecret, BackchannelLogoutFixture.BLRedirect,
            username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        var sid = Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>();
        using var admin = await server.AdminAsync();

        using var changed = await admin.PutAsJsonAsync($"/admin/users/{tokens.IdTokenSubject}/password", new { password = "bob-new-password-0123" });
        Assert.True(changed.IsSuccessStatusCode, $"Password change answered {(int)changed.StatusCode}: {await changed.Content.ReadAsStringAsync()}");

        Assert.Equal("password_changed", (await server.NotificationAsync(sid, "delivered")).GetProperty("reason").GetString());
        await ReceivedTokenAsync(sid);
    }

    [Fact]
    public async Task Discovery_advertises_back_channel_logout_with_sessions()
    {
        var discovery = await server.Client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.True(discovery.GetProperty("backchannel_logout_supported").GetBoolean());
        Assert.True(discovery.GetProperty("backchannel_logout_session_supported").GetBoolean());
    }

    [Theory]
    [InlineData("http://rp.example/logout")]
    [InlineData("https://rp.example/logout#frag")]
    [InlineData("https://user:pw@rp.example/logout")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative")]
    public async Task The_admin_api_refuses_a_backchannel_logout_uri_that_is_not_https_or_has_a_fragment(string uri)
    {
        using var admin = await server.AdminAsync();
        using var response = await admin.PostAsJsonAsync("/admin/clients", new Dictionary<string, object>
        {
            ["client_id"] = "bad-bl-" + Guid.NewGuid().ToString("N")[..8],
            ["redirect_uris"] = new[] { "https://rp.example/cb" },
            ["backchannel_logout_uri"] = uri,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("backchannel_logout_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_api_stores_and_shows_the_logout_metadata()
    {
        using var admin = await server.AdminAsync();
        var clientId = "good-bl-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await admin.PostAsJsonAsync("/admin/clients", new Dictionary<string, object>
        {
            ["client_id"] = clientId,
            ["redirect_uris"] = new[] { "https://rp.example/cb" },
            ["backchannel_logout_uri"] = "https://rp.example/logout?tenant=1",
            ["backchannel_logout_session_required"] = true,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var client = await admin.GetFromJsonAsync<JsonElement>($"/admin/clients/{clientId}");
        Assert.Equal("https://rp.example/logout?tenant=1", client.GetProperty("backchannel_logout_uri").GetString());
        Assert.True(client.GetProperty("backchannel_logout_session_required").GetBoolean());
    }

    [Fact]
    public async Task The_admin_api_refuses_session_required_without_a_uri()
    {
        using var admin = await server.AdminAsync();
        using var response = await admin.PostAsJsonAsync("/admin/clients", new Dictionary<string, object>
        {
            ["client_id"] = "bad-bl-" + Guid.NewGuid().ToString("N")[..8],
            ["redirect_uris"] = new[] { "https://rp.example/cb" },
            ["backchannel_logout_session_required"] = true,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("backchannel_logout_session_required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
