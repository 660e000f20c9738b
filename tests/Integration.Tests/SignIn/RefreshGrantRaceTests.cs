using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// CVE-2026-1035 (Keycloak CVE-2026-1035, a TOCTOU race that swapped one refresh token for several token sets),
/// CVE-2026-1035 on one replica: concurrent refreshes with one token yield at most one token set, the others
/// invalid_grant, never a 5xx; the losers are reuse, so afterwards the whole family is revoked.
/// </summary>
public sealed class RefreshGrantRaceTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private readonly HttpClient _client = server.Client;

    [Theory]
    [InlineData(SignInClients.CW, "openid offline_access api.read")]
    [InlineData(SignInClients.PN, "openid offline_access api.read")]
    public async Task Twenty_concurrent_refreshes_with_one_token_give_at_most_one_token_set_and_revoke_the_family(string clientId, string scope)
    {
        using var browser = server.NewBrowser();
        var first = await CodeGrantSupport.TokensAsync(browser, _client, clientId, scope);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => CodeGrantSupport.RefreshAsync(_client, clientId, first.RefreshToken!))));
        var outcomes = new List<(int Status, string? Error, string Text)>();
        foreach (var response in responses)
        {
            outcomes.Add(await CodeGrantSupport.OutcomeAsync(response));
        }

        var summary = string.Join("; ", outcomes.GroupBy(o => $"{o.Status} {o.Error}").Select(g => $"{g.Count()}x {g.Key}"));
        Assert.True(outcomes.All(o => o.Status < 500), $"A concurrent refresh failed with a server error: {summary} :: {string.Join(" | ", outcomes.Where(o => o.Status >= 500).Select(o => o.Text))}");
        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.True(winners.Count <= 1, $"One refresh token was exchanged for {winners.Count} token sets (CVE-2026-1035): {summary}");
        Assert.True(outcomes.Count(o => o.Status == 400 && o.Error == "invalid_grant") == 20 - winners.Count, $"Every other refresh is 400 invalid_grant: {summary}");
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await OAuthAssert.TokenErrorAsync(loser, HttpStatusCode.BadRequest, "invalid_grant");
        }

        GrantTokens? winner = winners.Count == 1 ? GrantTokens.From(await OAuthAssert.TokenSuccessAsync(winners[0], codeFlow: true)) : null;
        foreach (var response in responses)
        {
            response.Dispose();
        }

        // The presented token is consumed, and the losers were reuse: the family is revoked, with its newest tokens.
        await CodeGrantSupport.RefreshFailsAsync(_client, clientId, first.RefreshToken!, "the raced refresh token afterwards");
        if (winner is not null)
        {
            await CodeGrantSupport.RefreshFailsAsync(_client, clientId, winner.RefreshToken!, "the winner's refresh token after the reuse was detected");
            if (clientId == SignInClients.CW)
            {
                await CodeGrantSupport.AssertInactiveAsync(_client, winner.AccessToken, clientId, "the winner's access token after the reuse was detected");
            }
        }
    }
}
