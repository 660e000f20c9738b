using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// CVE-2026-9798, RFC 9700 §4.14.2 (ASVS 7.4.2): a refresh is refused for a user who may no longer sign
/// in: locked out by failed passwords, or disabled. Its own server, as these tests lock and disable the
/// fixture users.
/// </summary>
public sealed class RefreshGrantUserStateTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private const string Scope = "openid offline_access api.read";

    private readonly HttpClient _client = server.Client;

    [Fact]
    public async Task A_refresh_for_a_user_locked_out_by_failed_sign_ins_is_invalid_grant()
    {
        GrantTokens tokens;
        using (var browser = server.NewBrowser())
        {
            tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, Scope, username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        }

        // Before the lockout the refresh works.
        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);

        // Five wrong passwords through the sign-in page (LockoutPolicy.Default: 5 failures lock the account).
        using (var attacker = server.NewBrowser())
        {
            using var start = await attacker.GetAsync(Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, Scope, PkcePair.New()));
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
            var page = await start.Content.ReadAsStringAsync();
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                using var failed = await attacker.SignInAsync(page, SignInClients.BobUsername, $"wrong-password-{attempt}-0123");
                page = await failed.Content.ReadAsStringAsync();
                AssertSignInRefused(failed, page, $"wrong password {attempt}");
            }

            // The lockout holds: the right password is refused now too.
            using var locked = await attacker.SignInAsync(page, SignInClients.BobUsername, SignInClients.BobPassword);
            AssertSignInRefused(locked, await locked.Content.ReadAsStringAsync(), "bob's own password while he is locked out");
        }

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, refreshed.RefreshToken!, "a refresh for a locked-out user");
    }

    [Fact]
    public async Task A_refresh_for_a_disabled_user_is_invalid_grant()
    {
        GrantTokens tokens;
        using (var browser = server.NewBrowser())
        {
            tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, Scope);
        }

        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);

        // No admin API disables a user yet: the operator's change, made in the store.
        await server.Database.QueryAsync("UPDATE users SET disabled = true WHERE username = @u", ("u", SignInClients.AliceUsername));

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, refreshed.RefreshToken!, "a refresh for a disabled user");
    }

    /// <summary>A refused sign-in shows the sign-in form again with its error (this server answers it with 200 or a 4xx), never a redirect.</summary>
    private static void AssertSignInRefused(HttpResponseMessage response, string page, string what)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is 200 or (>= 400 and < 500) && !Browser.IsRedirect(response), $"{what}: expected the sign-in page again, got {status}: {page}");
        Assert.Contains("name=\"password\"", page, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
    }
}
