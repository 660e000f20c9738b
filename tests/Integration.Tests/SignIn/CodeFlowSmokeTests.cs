using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>The code flow end to end through the real pipeline: sign in, consent, code, tokens, refresh.</summary>
public sealed class CodeFlowSmokeTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    [Fact]
    public async Task A_user_signs_in_consents_and_the_client_gets_tokens_then_refreshes_them()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid profile offline_access", pkce);

        using var tokenResponse = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect);
        var tokens = await OAuthAssert.TokenSuccessAsync(tokenResponse, codeFlow: true);
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("id_token").GetString()));
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        using var refreshed = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, refreshToken);
        var next = await OAuthAssert.TokenSuccessAsync(refreshed, codeFlow: true);
        Assert.NotEqual(refreshToken, next.GetProperty("refresh_token").GetString());

        using var reused = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("invalid_grant", JsonDocument.Parse(await reused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }
}
