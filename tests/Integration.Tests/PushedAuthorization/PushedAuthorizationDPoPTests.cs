using System.Net;
using AuthService.Integration.Tests.DPoP;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.PushedAuthorization.PushedClients;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.PushedAuthorization;

/// <summary>
/// A DPoP proof at the PAR endpoint (RFC 9449 §10.1): checked as a proof for POST of the PAR URL, its key's thumbprint
/// becomes the request's <c>dpop_jkt</c>, so the code it leads to is redeemed only with that key (§10).
/// </summary>
public sealed class PushedAuthorizationDPoPTests(PushedAuthorizationFixture server) : IClassFixture<PushedAuthorizationFixture>
{
    private readonly HttpClient _client = server.Client;
    private readonly DPoPKey _key = DPoPKey.Es256();
    private readonly DPoPKey _thief = DPoPKey.Es256();

    private async Task<(string Code, PkcePair Pkce)> CodeThroughPushAsync(Dictionary<string, string>? extra = null)
    {
        var pkce = PkcePair.New();
        var form = Parameters(SignInClients.PN, SignInClients.PNRedirect, "openid api.read", pkce);
        foreach (var (name, value) in extra ?? [])
        {
            form[name] = value;
        }

        var requestUri = await PushedRequestUriAsync(_client, form, SignInClients.PN, secret: null, _key.Proof(url: ParUrl));
        using var browser = server.NewBrowser();
        using var response = await browser.AuthorizeAsync(AuthorizeUrl(SignInClients.PN, requestUri));
        return (AssertCode(response, SignInClients.PNRedirect), pkce);
    }

    [Fact]
    public async Task A_proof_at_the_PAR_endpoint_binds_the_code_to_its_key()
    {
        var (code, pkce) = await CodeThroughPushAsync();

        // Without a proof, or with another key's: invalid_grant, and the code is not spent (RFC 9449 §10).
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RedeemAsync(_client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect),
            HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RedeemAsync(_client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect, _thief.Proof()),
            HttpStatusCode.BadRequest, "invalid_grant");

        var tokens = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(_client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect, _key.Proof()),
            codeFlow: true, tokenType: "DPoP");
        Assert.Equal(_key.Thumbprint(), DPoPFixture.CnfJkt(tokens.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task A_proof_with_the_matching_dpop_jkt_is_accepted()
    {
        var (code, pkce) = await CodeThroughPushAsync(new() { ["dpop_jkt"] = _key.Thumbprint() });

        await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(_client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect, _key.Proof()),
            codeFlow: true, tokenType: "DPoP");
    }

    // RFC 9449 §10.1: both mechanisms at once must name the same key, else the request is rejected.
    [Fact]
    public async Task A_proof_with_a_dpop_jkt_for_another_key_is_invalid_request_and_stores_nothing()
    {
        var before = await StoredRequestsAsync(server.Database);
        var form = Parameters(SignInClients.PN, SignInClients.PNRedirect, "openid", PkcePair.New());
        form["dpop_jkt"] = _thief.Thumbprint();

        using var response = await PushAsync(_client, form, SignInClients.PN, secret: null, _key.Proof(url: ParUrl));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(before, await StoredRequestsAsync(server.Database));
    }

    // RFC 9449 §4.3: the proof must name this endpoint (htm, htu), be fresh and unused.
    [Theory]
    [InlineData("GET", ParUrl)]
    [InlineData("POST", DPoPKey.TokenUrl)]
    [InlineData("POST", "https://evil.example/connect/par")]
    public async Task A_proof_for_another_method_or_URL_is_invalid_dpop_proof_and_stores_nothing(string method, string url)
    {
        var before = await StoredRequestsAsync(server.Database);

        using var response = await PushAsync(_client, Parameters(SignInClients.PN, SignInClients.PNRedirect, "openid", PkcePair.New()),
            SignInClients.PN, secret: null, _key.Proof(method, url));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof");
        Assert.Equal(before, await StoredRequestsAsync(server.Database));
    }

    [Fact]
    public async Task A_replayed_proof_is_refused()
    {
        var proof = _key.Proof(url: ParUrl);
        await PushedRequestUriAsync(_client, Parameters(SignInClients.PN, SignInClients.PNRedirect, "openid", PkcePair.New()), SignInClients.PN, null, proof);

        using var replay = await PushAsync(_client, Parameters(SignInClients.PN, SignInClients.PNRedirect, "openid", PkcePair.New()), SignInClients.PN, null, proof);

        await AssertErrorAsync(replay, HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_confidential_client_binds_its_code_the_same_way()
    {
        var pkce = PkcePair.New();
        var requestUri = await PushedRequestUriAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid api.read", pkce),
            SignInClients.CW, SignInClients.CWSecret, _key.Proof(url: ParUrl));
        using var browser = server.NewBrowser();
        using var response = await browser.AuthorizeAsync(AuthorizeUrl(SignInClients.CW, requestUri));
        var code = AssertCode(response, SignInClients.CWRedirect);

        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect),
            HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect, _key.Proof()),
            codeFlow: true, tokenType: "DPoP");
    }
}
