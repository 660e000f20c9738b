using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// Authorization code replay (RFC 9700 §4.2.4; OAuth 2.1
/// "Reuse of Authorization Codes"; ASVS 10.4.2): a second valid redemption fails and revokes what the first
/// issued; a replay that fails the code's binding (verifier, client, authentication) revokes nothing; and
/// concurrent redemptions of one code yield exactly one token set.
/// </summary>
public sealed class CodeGrantReplayTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private const string Scope = "openid offline_access api.read";

    private readonly HttpClient _client = server.Client;

    // RFC 9700 §4.2.4: the replay fails, and the first redemption's access token and refresh token are revoked.
    [Fact]
    public async Task Redeeming_a_code_twice_fails_and_revokes_the_tokens_of_the_first_redemption()
    {
        var (code, pkce) = await NewCodeAsync();
        var first = await RedeemAsync(code, pkce);
        await CodeGrantSupport.AssertActiveAsync(_client, first.AccessToken, SignInClients.CW);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect), "the second redemption");

        await CodeGrantSupport.AssertInactiveAsync(_client, first.AccessToken, SignInClients.CW, "the access token of a replayed code");
        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, first.RefreshToken!, "the refresh token of a replayed code");

        // A third attempt changes nothing and still fails.
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect), "the third redemption");
    }

    // RFC 9700 §4.2.4 after the client has refreshed in between (the usual case when the replay comes 30 s later):
    // the family is revoked wherever it has got to; RFC 9700 §4.2.4: the AS "SHOULD revoke all tokens issued
    // previously based on that authorization code", so the access tokens of the refreshes go too.
    [Fact]
    public async Task A_replay_after_refreshes_revokes_every_token_issued_from_the_code()
    {
        var (code, pkce) = await NewCodeAsync();
        var first = await RedeemAsync(code, pkce);
        var second = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, first.RefreshToken!);
        var third = await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, second.RefreshToken!);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect), "the replay after two refreshes");

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, third.RefreshToken!, "the newest refresh token of the replayed code's family");
        await CodeGrantSupport.AssertAllInactiveAsync(_client, SignInClients.CW, "after the code was replayed (RFC 9700 §4.2.4: all tokens issued based on the code)",
            ("AT1 (issued by the redemption)", first.AccessToken),
            ("AT3 (the newest, issued with RT3)", third.AccessToken),
            ("AT2 (issued by the refresh with RT1)", second.AccessToken));
    }

    // RFC 9700 §4.2.4 for a public client.
    [Fact]
    public async Task A_public_clients_code_replayed_revokes_its_refresh_token()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var code = await CodeGrantSupport.CodeAsync(browser, SignInClients.PN, Scope, pkce);
        using var redeemed = await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, pkce.Verifier, SignInClients.PNRedirect);
        var first = GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true));

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, pkce.Verifier, SignInClients.PNRedirect), "PN's second redemption");

        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.PN, first.RefreshToken!, "PN's refresh token of a replayed code");
    }

    // whoever holds only the code (not the verifier) cannot revoke the rightful client's tokens.
    [Fact]
    public async Task A_replay_with_a_wrong_verifier_fails_and_revokes_nothing()
    {
        var (code, pkce) = await NewCodeAsync();
        var first = await RedeemAsync(code, pkce);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, PkcePair.New().Verifier, SignInClients.CWRedirect), "a replay with another verifier");
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, verifier: null, SignInClients.CWRedirect), "a replay without a verifier");

        await AssertStillValidAsync(first, SignInClients.CW);
    }

    // CVE-2026-16089: another client (with its own valid credentials and even the right verifier) replaying the code revokes nothing.
    [Fact]
    public async Task A_replay_by_another_client_fails_and_revokes_nothing()
    {
        var (code, pkce) = await NewCodeAsync();
        var first = await RedeemAsync(code, pkce);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CV, code, pkce.Verifier, SignInClients.CWRedirect), "a replay by CV");
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, pkce.Verifier, SignInClients.CWRedirect), "a replay by PN");

        await AssertStillValidAsync(first, SignInClients.CW);
    }

    // "bad client authentication" on the replay: invalid_client, and nothing is revoked.
    [Fact]
    public async Task A_replay_with_bad_client_authentication_fails_and_revokes_nothing()
    {
        var (code, pkce) = await NewCodeAsync();
        var first = await RedeemAsync(code, pkce);

        using (var wrongSecret = await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, "wrong-secret-0123456789", code, pkce.Verifier, SignInClients.CWRedirect))
        {
            await OAuthAssert.TokenErrorAsync(wrongSecret, HttpStatusCode.Unauthorized, "invalid_client");
        }

        using (var unauthenticated = await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, secret: null, code, pkce.Verifier, SignInClients.CWRedirect))
        {
            await OAuthAssert.TokenErrorAsync(unauthenticated, HttpStatusCode.BadRequest, "invalid_client");
        }

        await AssertStillValidAsync(first, SignInClients.CW);
    }

    // A replay with the wrong redirect_uri fails the binding too, and revokes nothing.
    [Fact]
    public async Task A_replay_with_another_redirect_uri_fails_and_revokes_nothing()
    {
        var (code, pkce) = await NewCodeAsync();
        var first = await RedeemAsync(code, pkce);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, "https://cw.example/cb2"), "a replay on another redirect_uri");

        await AssertStillValidAsync(first, SignInClients.CW);
    }

    // OAuth 2.1 §4.1.3 ("MUST return an access token only once") under concurrency: 10 redemptions at once
    // give exactly one token set, nine invalid_grant, no 5xx; the losers are replays, so the winner's tokens are revoked.
    [Fact]
    public async Task Ten_concurrent_redemptions_of_one_code_give_exactly_one_token_set_and_then_revoke_it()
    {
        var (code, pkce) = await NewCodeAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(_ => Task.Run(() => CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect))));
        var outcomes = new List<(int Status, string? Error, string Text)>();
        foreach (var response in responses)
        {
            outcomes.Add(await CodeGrantSupport.OutcomeAsync(response));
        }

        var summary = string.Join("; ", outcomes.Select(o => $"{o.Status} {o.Error}"));
        Assert.True(outcomes.All(o => o.Status < 500), $"A concurrent redemption failed with a server error: {summary} :: {string.Join(" | ", outcomes.Where(o => o.Status >= 500).Select(o => o.Text))}");
        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.True(winners.Count == 1, $"Expected exactly one 200 among 10 concurrent redemptions, got: {summary}");
        Assert.True(outcomes.Count(o => o.Status == 400 && o.Error == "invalid_grant") == 9, $"Expected nine 400 invalid_grant: {summary}");
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await OAuthAssert.TokenErrorAsync(loser, HttpStatusCode.BadRequest, "invalid_grant");
        }

        var winner = GrantTokens.From(await OAuthAssert.TokenSuccessAsync(winners[0], codeFlow: true));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        // The nine losers were replays of a redeemed code (RFC 9700 §4.2.4): the winner's tokens are revoked.
        await CodeGrantSupport.AssertInactiveAsync(_client, winner.AccessToken, SignInClients.CW, "the access token of a code redeemed concurrently");
        await CodeGrantSupport.RefreshFailsAsync(_client, SignInClients.CW, winner.RefreshToken!, "the refresh token of a code redeemed concurrently");
    }

    private async Task<(string Code, PkcePair Pkce)> NewCodeAsync()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        return (await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, Scope, pkce), pkce);
    }

    private async Task<GrantTokens> RedeemAsync(string code, PkcePair pkce)
    {
        using var response = await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect);
        var tokens = GrantTokens.From(await OAuthAssert.TokenSuccessAsync(response, codeFlow: true));
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
        return tokens;
    }

    /// <summary>The first redemption's access token is still active and its refresh token still refreshes.</summary>
    private async Task AssertStillValidAsync(GrantTokens first, string clientId)
    {
        await CodeGrantSupport.AssertActiveAsync(_client, first.AccessToken, clientId);
        var refreshed = await CodeGrantSupport.RefreshedAsync(_client, clientId, first.RefreshToken!);
        await CodeGrantSupport.AssertActiveAsync(_client, refreshed.AccessToken, clientId);
    }
}
