using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.DPoP;

/// <summary>
/// DPoP across the code flow (RFC 9449 §5, §7, §10): the code bound by <c>dpop_jkt</c>, the public client's
/// refresh tokens bound to its key, and the DPoP-bound access token at UserInfo, with the attacks of a thief who
/// holds a token but not the key.
/// </summary>
public sealed class DPoPGrantTests(DPoPFixture fixture) : IClassFixture<DPoPFixture>
{
    private readonly DPoPKey _key = DPoPKey.Es256();
    private readonly DPoPKey _thief = DPoPKey.Es256();

    private Task<HttpResponseMessage> UserInfoWithProofAsync(string accessToken, DPoPKey key) =>
        fixture.UserInfoAsync("DPoP", accessToken, key.Proof("GET", DPoPKey.UserInfoUrl, accessToken));

    [Fact]
    public async Task A_public_clients_code_flow_with_DPoP_gives_bound_tokens_usable_at_UserInfo_with_a_proof()
    {
        var tokens = await fixture.PublicTokensAsync(_key);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(_key.Thumbprint(), DPoPFixture.CnfJkt(accessToken));

        var response = await UserInfoWithProofAsync(accessToken, _key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.JsonAsync()).GetProperty("sub").GetString()));
    }

    [Fact]
    public async Task A_stolen_DPoP_bound_access_token_is_useless_at_UserInfo()
    {
        var accessToken = (await fixture.PublicTokensAsync(_key)).GetProperty("access_token").GetString()!;

        // As a bearer token (CVE-2024-49755).
        await DPoPFixture.AssertDPoPChallengeAsync(await fixture.UserInfoAsync("Bearer", accessToken), "invalid_token");
        await DPoPFixture.AssertDPoPChallengeAsync(await fixture.UserInfoAsync("Bearer", accessToken, _key.Proof("GET", DPoPKey.UserInfoUrl, accessToken)), "invalid_token");

        // With the DPoP scheme but no proof, or a proof by another key.
        await DPoPFixture.AssertDPoPChallengeAsync(await fixture.UserInfoAsync("DPoP", accessToken), "invalid_dpop_proof");
        await DPoPFixture.AssertDPoPChallengeAsync(await UserInfoWithProofAsync(accessToken, _thief), "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_UserInfo_proof_must_cover_the_token_the_method_and_the_URL()
    {
        var accessToken = (await fixture.PublicTokensAsync(_key)).GetProperty("access_token").GetString()!;

        // §4.3 item 12: no ath, or the ath of another token.
        await DPoPFixture.AssertDPoPChallengeAsync(await fixture.UserInfoAsync("DPoP", accessToken, _key.Proof("GET", DPoPKey.UserInfoUrl)), "invalid_dpop_proof");
        await DPoPFixture.AssertDPoPChallengeAsync(
            await fixture.UserInfoAsync("DPoP", accessToken, _key.Proof("GET", DPoPKey.UserInfoUrl, accessToken + "x")), "invalid_dpop_proof");

        // A proof made for the token endpoint, or for POST.
        await DPoPFixture.AssertDPoPChallengeAsync(
            await fixture.UserInfoAsync("DPoP", accessToken, _key.Proof("GET", DPoPKey.TokenUrl, accessToken)), "invalid_dpop_proof");
        await DPoPFixture.AssertDPoPChallengeAsync(
            await fixture.UserInfoAsync("DPoP", accessToken, _key.Proof("POST", DPoPKey.UserInfoUrl, accessToken)), "invalid_dpop_proof");

        // A replayed UserInfo proof.
        var proof = _key.Proof("GET", DPoPKey.UserInfoUrl, accessToken);
        Assert.Equal(HttpStatusCode.OK, (await fixture.UserInfoAsync("DPoP", accessToken, proof)).StatusCode);
        await DPoPFixture.AssertDPoPChallengeAsync(await fixture.UserInfoAsync("DPoP", accessToken, proof), "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_bearer_token_presented_with_the_DPoP_scheme_is_refused()
    {
        var (code, pkce) = await fixture.PublicCodeAsync();
        var accessToken = (await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(fixture.Client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect), codeFlow: true))
            .GetProperty("access_token").GetString()!;

        await DPoPFixture.AssertDPoPChallengeAsync(await UserInfoWithProofAsync(accessToken, _key), "invalid_token");
        Assert.Equal(HttpStatusCode.OK, (await fixture.UserInfoAsync("Bearer", accessToken)).StatusCode);
    }

    [Fact]
    public async Task A_public_clients_refresh_token_works_only_with_its_key_and_a_thief_revokes_nothing()
    {
        var tokens = await fixture.PublicTokensAsync(_key);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        // The thief: another key, or no proof at all (RFC 9449 §5). invalid_grant, and the family lives on.
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RefreshAsync(fixture.Client, SignInClients.PN, null, refreshToken, dpopProof: _thief.Proof()), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RefreshAsync(fixture.Client, SignInClients.PN, null, refreshToken), HttpStatusCode.BadRequest, "invalid_grant");

        var refreshed = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RefreshAsync(fixture.Client, SignInClients.PN, null, refreshToken, dpopProof: _key.Proof()), codeFlow: true, tokenType: "DPoP");
        Assert.Equal(_key.Thumbprint(), DPoPFixture.CnfJkt(refreshed.GetProperty("access_token").GetString()!));
        Assert.NotEqual(refreshToken, refreshed.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task A_confidential_clients_refresh_token_is_not_key_bound_and_the_new_access_token_follows_the_new_proof()
    {
        using var browser = fixture.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid offline_access", pkce);
        var tokens = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(fixture.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect, _key.Proof()),
            codeFlow: true, tokenType: "DPoP");

        var refreshed = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RefreshAsync(fixture.Client, SignInClients.CW, SignInClients.CWSecret, tokens.GetProperty("refresh_token").GetString()!,
                dpopProof: _thief.Proof()), codeFlow: true, tokenType: "DPoP");

        Assert.Equal(_thief.Thumbprint(), DPoPFixture.CnfJkt(refreshed.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task A_code_bound_by_dpop_jkt_is_redeemed_only_with_a_proof_by_that_key()
    {
        var (code, pkce) = await fixture.PublicCodeAsync(dpopJkt: _key.Thumbprint());

        // Another key, or none: invalid_grant (RFC 9449 §10), and the code is not spent.
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RedeemAsync(fixture.Client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect, _thief.Proof()),
            HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RedeemAsync(fixture.Client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect),
            HttpStatusCode.BadRequest, "invalid_grant");

        var tokens = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(fixture.Client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect, _key.Proof()),
            codeFlow: true, tokenType: "DPoP");
        Assert.Equal(_key.Thumbprint(), DPoPFixture.CnfJkt(tokens.GetProperty("access_token").GetString()!));
    }

    [Theory]
    [InlineData("not-a-thumbprint")]
    [InlineData("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4")]
    [InlineData("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I=")]
    public async Task A_malformed_dpop_jkt_is_refused_at_the_authorization_endpoint(string dpopJkt)
    {
        using var browser = fixture.NewBrowser();
        var response = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.PN, SignInClients.PNRedirect, "openid", PkcePair.New(),
            extra: new Dictionary<string, string> { ["dpop_jkt"] = dpopJkt }));

        Assert.Equal("invalid_request", Browser.ResponseParameters(response)["error"]);
    }
}
