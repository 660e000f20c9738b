using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// OpenID Connect RP-Initiated Logout 1.0 §2: an id_token_hint that has expired still names the session
/// to end (its signature and issuer must hold). The server runs on a <see cref="FakeTimeProvider"/> so
/// the hint can expire while the browser session (2 h idle, 12 h absolute) stays active.
/// </summary>
public sealed class EndSessionExpiredHintTests
{
    [Fact]
    public async Task An_expired_but_genuine_hint_still_ends_the_session_without_confirmation()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: SignInClients.SeedJson());
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid offline_access");
        var expires = DateTimeOffset.FromUnixTimeSeconds(Jose.Payload(tokens.IdToken!)["exp"]!.GetValue<long>());

        server.Clock.SetUtcNow(expires + TimeSpan.FromMinutes(5));
        await EndSessionFlows.AssertSignedInAsync(browser, "the session outlives the ID token");

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", "s-exp")));

        Assert.True(response.StatusCode == HttpStatusCode.SeeOther,
            $"An expired genuine hint: expected 303, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"{SignInClients.CWSignedOut}?state=s-exp", response.Headers.Location!.OriginalString);
        EndSessionFlows.AssertSessionCookieCleared(response);
        await EndSessionFlows.AssertSignedOutAsync(browser, "after logout with an expired hint");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "the refresh token of the ended session");
    }

    [Fact]
    public async Task An_expired_hint_whose_payload_was_altered_is_still_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: SignInClients.SeedJson());
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        server.Clock.Advance(TimeSpan.FromMinutes(30));

        // Since the lifetime is not checked, the signature is all that stands: a re-dated hint must fail it.
        var redated = Jose.WithPayload(tokens.IdToken!, p => p["exp"] = server.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds());
        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", redated), ("post_logout_redirect_uri", SignInClients.CWSignedOut)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        await EndSessionFlows.AssertSignedInAsync(browser, "after a refused re-dated hint");
    }
}
