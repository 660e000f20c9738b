using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// Grants do not outlive the sign-in they came from (RFC 9700 §4.14.2, ASVS 7.4.3):
/// a password change (a new security stamp) ends refresh token families and unredeemed codes, and a
/// code issued just before a logout cannot be redeemed after it.
/// </summary>
public sealed class CredentialChangeTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    [Fact]
    public async Task After_a_password_change_the_refresh_token_and_an_unredeemed_code_are_refused()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid offline_access", username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid offline_access", pkce, username: SignInClients.BobUsername, password: SignInClients.BobPassword);

        // What a password change does to the account (User.ChangePassword): a new security stamp.
        await server.Database.ScalarAsync<int>("UPDATE users SET security_stamp = 'changed-by-test' WHERE username = 'bob' RETURNING 1");

        using var refreshed = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, tokens.RefreshToken!);
        await AssertInvalidGrantAsync(refreshed);
        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect);
        await AssertInvalidGrantAsync(redeemed);
        Assert.Equal("credentials_changed", await server.Database.ScalarAsync<string>(
            "SELECT revocation_reason FROM refresh_token_families f JOIN users u ON u.id = f.user_id WHERE u.username = 'bob' AND revocation_reason IS NOT NULL LIMIT 1"));
    }

    [Fact]
    public async Task A_code_issued_before_a_logout_cannot_be_redeemed_after_it()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid offline_access");
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid offline_access", pkce);

        using var logout = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SignInClients.CWSignedOut)));
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);

        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect);
        await AssertInvalidGrantAsync(redeemed);
    }

    private static async Task AssertInvalidGrantAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400 invalid_grant, got {(int)response.StatusCode}: {text}");
        Assert.Equal("invalid_grant", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }
}
