using System.Net;
using AuthService.Integration.Tests.DPoP;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using static AuthService.Integration.Tests.Fapi.FapiClients;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.Fapi;

/// <summary>
/// The FAPI 2.0 Security Profile's authorization server rules (§5.3.2.1, §5.3.2.2) for a client registered with
/// <c>profile: "fapi2"</c>, through the real HTTP pipeline: PAR with <c>redirect_uri</c> required, sender-constrained
/// access tokens only at every grant, and refresh tokens that stay valid (no rotation). Code lifetime: see
/// <see cref="Fapi2CodeLifetimeTests"/>.
/// </summary>
public sealed class Fapi2ProfileTests(FapiFixture server) : IClassFixture<FapiFixture>, IDisposable
{
    private readonly DPoPKey _key = DPoPKey.Es256();

    public void Dispose() => _key.Dispose();

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>PAR → authorize (Alice signs in) → the code, and the PKCE pair it is bound to.</summary>
    private async Task<(string Code, PkcePair Pkce)> CodeAsync()
    {
        var pkce = PkcePair.New();
        using var pushed = await PushAsync(server.Client, Now, pkce);
        var body = await pushed.Content.ReadAsStringAsync();
        Assert.True(pushed.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)pushed.StatusCode}: {body}");
        var requestUri = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("request_uri").GetString()!;
        using var browser = server.NewBrowser();
        using var response = await browser.AuthorizeAsync(PushedClients.AuthorizeUrl(FA, requestUri));
        return (AssertCode(response, FARedirect), pkce);
    }

    private async Task<(string AccessToken, string RefreshToken)> TokensAsync()
    {
        var (code, pkce) = await CodeAsync();
        var body = await AssertBoundTokensAsync(await RedeemAsync(server.Client, Now, code, pkce, TokenProof(_key, Now)), _key);
        return (body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    // §5.3.2.1, §5.3.2.2: the whole flow, and the refresh token used twice stays valid; every access token works.
    [Fact]
    public async Task Par_authorize_DPoP_bound_code_exchange_and_refreshes_without_rotation()
    {
        var (accessToken, refreshToken) = await TokensAsync();
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(accessToken)).StatusCode);

        for (var i = 0; i < 2; i++)
        {
            var refreshed = await AssertBoundTokensAsync(await RefreshAsync(server.Client, Now, refreshToken, TokenProof(_key, Now)), _key, codeFlow: false);
            // No new refresh token: the one the client holds stays the one to use (RFC 6749 §6, OAuth 2.1 §4.3.3).
            Assert.False(refreshed.TryGetProperty("refresh_token", out _));
            var newAccessToken = refreshed.GetProperty("access_token").GetString()!;
            Assert.NotEqual(accessToken, newAccessToken);
            Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(newAccessToken)).StatusCode);
        }
    }

    // Without rotation, parallel refreshes with the one token are not reuse: all succeed, nothing is revoked.
    [Fact]
    public async Task Parallel_refreshes_with_the_same_token_all_succeed_and_revoke_nothing()
    {
        var (accessToken, refreshToken) = await TokensAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(server.Client, Now, refreshToken, TokenProof(_key, Now))));

        foreach (var response in responses)
        {
            await AssertBoundTokensAsync(response, _key, codeFlow: false);
        }

        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(accessToken)).StatusCode);
        await AssertBoundTokensAsync(await RefreshAsync(server.Client, Now, refreshToken, TokenProof(_key, Now)), _key, codeFlow: false);
    }

    // Revocation still ends the kept token and the access tokens issued from it (RFC 7009 §2.1).
    [Fact]
    public async Task A_revoked_refresh_token_is_refused_and_its_access_tokens_are_inactive()
    {
        var (accessToken, refreshToken) = await TokensAsync();
        using var revoke = new HttpRequestMessage(HttpMethod.Post, "/connect/revoke")
        {
            Content = new FormUrlEncodedContent(Authenticated(Now, new() { ["token"] = refreshToken })),
        };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(revoke)).StatusCode);

        await OAuthAssert.TokenErrorAsync(await RefreshAsync(server.Client, Now, refreshToken, TokenProof(_key, Now)), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(accessToken)).StatusCode);
    }

    // §5.3.2.2: "shall reject authorization requests sent without" PAR.
    [Fact]
    public async Task A_plain_authorization_request_is_refused()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Browser.AuthorizeUrl(FA, FARedirect, Scope, PkcePair.New()));

        var error = AssertRedirectError(response, FARedirect, "invalid_request");
        Assert.Contains("pushed", error["error_description"], StringComparison.Ordinal);
    }

    // §5.3.2.2: "shall require the redirect_uri parameter in pushed authorization requests"; nothing is stored.
    [Fact]
    public async Task A_pushed_request_without_redirect_uri_is_refused()
    {
        using var response = await PushAsync(server.Client, Now, PkcePair.New(), form => form.Remove("redirect_uri"));

        await PushedClients.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // §5.3.2.1: only sender-constrained access tokens. Refused before the code is looked at: the code stays usable.
    [Fact]
    public async Task A_code_redeemed_without_a_proof_is_refused_and_stays_redeemable_with_one()
    {
        var (code, pkce) = await CodeAsync();

        await AssertProofRequiredAsync(await RedeemAsync(server.Client, Now, code, pkce, proof: null));

        await AssertBoundTokensAsync(await RedeemAsync(server.Client, Now, code, pkce, TokenProof(_key, Now)), _key);
    }

    [Fact]
    public async Task A_refresh_without_a_proof_is_refused_and_the_token_stays_valid()
    {
        var (_, refreshToken) = await TokensAsync();

        await AssertProofRequiredAsync(await RefreshAsync(server.Client, Now, refreshToken, proof: null));

        await AssertBoundTokensAsync(await RefreshAsync(server.Client, Now, refreshToken, TokenProof(_key, Now)), _key, codeFlow: false);
    }

    [Fact]
    public async Task Client_credentials_without_a_proof_is_refused_and_with_one_gives_a_bound_token()
    {
        var form = () => new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api.read" };

        await AssertProofRequiredAsync(await TokenAsync(server.Client, Now, form(), proof: null));

        await AssertBoundTokensAsync(await TokenAsync(server.Client, Now, form(), TokenProof(_key, Now)), _key, codeFlow: false);
    }

    // An invalid proof is still an invalid proof (RFC 9449 §4.3), not a way around the rule.
    [Fact]
    public async Task A_proof_for_another_url_is_refused()
    {
        var (code, pkce) = await CodeAsync();

        await OAuthAssert.TokenErrorAsync(
            await RedeemAsync(server.Client, Now, code, pkce, _key.Proof(url: DPoPKey.UserInfoUrl, issuedAt: Now)), HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    // Other clients keep their rules: a confidential client still gets a bearer token and a rotated refresh token.
    [Fact]
    public async Task Other_clients_are_not_affected()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = AssertCode(await browser.AuthorizeAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid offline_access", pkce)), SignInClients.CFRedirect);

        var body = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CF, SignInClients.CFSecret, code, pkce.Verifier, SignInClients.CFRedirect), codeFlow: true);
        var refreshed = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CF, SignInClients.CFSecret, body.GetProperty("refresh_token").GetString()!), codeFlow: true);

        Assert.NotEqual(body.GetProperty("refresh_token").GetString(), refreshed.GetProperty("refresh_token").GetString());
    }

    private async Task<HttpResponseMessage> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new("DPoP", accessToken);
        request.Headers.Add("DPoP", _key.Proof("GET", DPoPKey.UserInfoUrl, accessToken));
        return await server.Client.SendAsync(request);
    }
}
