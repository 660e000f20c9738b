using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.RateLimiting;

/// <summary>
/// A server with low request-rate limits (docs/adr/0043): one second of burst per client, five failed client authentications
/// per address and minute, three sign-in posts and two sign-up posts per address and minute. The failure throttle of client
/// authentication (docs/adr/0006) is set out of the way, so what answers 429 here is the rate limit.
/// </summary>
public sealed class RateLimitFixture : AdminFixture
{
    public const int UnauthenticatedPerMinute = 5;
    public const int SignInPerMinute = 3;
    public const int SignUpPerMinute = 2;

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:RateLimits:Token:BurstSeconds"] = "1",
        ["Auth:RateLimits:Token:UnauthenticatedPermitsPerMinute"] = UnauthenticatedPerMinute.ToString(CultureInfo.InvariantCulture),
        ["Auth:RateLimits:SignIn:PermitsPerMinute"] = SignInPerMinute.ToString(CultureInfo.InvariantCulture),
        ["Auth:RateLimits:SignUp:PermitsPerMinute"] = SignUpPerMinute.ToString(CultureInfo.InvariantCulture),
        ["Auth:ClientAuthenticationFailureLimit"] = "1000",
    };
}

/// <summary>
/// Rate limits over the real HTTP pipeline and PostgreSQL: the token endpoint's per-client budget (set through the admin API),
/// that an unauthenticated flood naming a client never spends that client's budget, and the sign-in and sign-up limits per address.
/// </summary>
public sealed class RateLimitTests(RateLimitFixture server) : IClassFixture<RateLimitFixture>
{
    /// <summary>Enough sequential requests to outrun a budget of one or two per second however slow the machine.</summary>
    private const int Attempts = 30;

    private async Task<(HttpClient Admin, string ClientId, string Secret)> LimitedServiceAsync(int? tokenRateLimit)
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("rl");
        var body = ClientAdmin.Service(clientId);
        if (tokenRateLimit is { } limit)
        {
            body["token_rate_limit"] = limit;
        }

        var created = await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(tokenRateLimit, created.GetProperty("token_rate_limit").ValueKind == JsonValueKind.Null ? null : created.GetProperty("token_rate_limit").GetInt32());
        return (admin, clientId, created.GetProperty("client_secret").GetString()!);
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        var error = await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.TooManyRequests, "invalid_request");
        Assert.Contains("Too many token requests", error.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.True(int.Parse(response.Headers.RetryAfter!.ToString(), CultureInfo.InvariantCulture) is >= 1 and <= 60);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_client_over_its_own_limit_gets_429_with_Retry_After_while_another_client_is_unaffected()
    {
        var (admin, clientId, secret) = await LimitedServiceAsync(tokenRateLimit: 2);
        using var _ = admin;

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < Attempts && limited is null; i++)
        {
            var response = await ClientAdmin.TokenAsync(server, clientId, secret);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                await OAuthAssert.TokenSuccessAsync(response);
            }
        }

        // The bucket starts full (two permits: two per second, one second of burst), so the first two are always issued.
        Assert.NotNull(limited);
        Assert.True(statuses.Count > 2, $"429 after only {statuses.Count - 1} tokens");
        await AssertRateLimitedAsync(limited!);

        // Another client's budget is its own.
        await OAuthAssert.TokenSuccessAsync(await server.Client.PostC1Async());
    }

    [Fact]
    public async Task An_unauthenticated_flood_naming_a_client_spends_the_address_budget_never_the_clients()
    {
        // One permit per second: a single request charged to the victim during the flood would leave it nothing.
        var (admin, victim, secret) = await LimitedServiceAsync(tokenRateLimit: 1);
        using var _ = admin;

        var flood = new List<HttpResponseMessage>();
        for (var i = 0; i < RateLimitFixture.UnauthenticatedPerMinute + 3; i++)
        {
            flood.Add(await ClientAdmin.TokenAsync(server, victim, secret + "-wrong"));
        }

        Assert.All(flood.Take(RateLimitFixture.UnauthenticatedPerMinute), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await AssertRateLimitedAsync(flood[^1]);

        // The victim authenticates from the same address and gets its token: its budget and the address budget are apart.
        await ClientAdmin.AssertTokenIssuedAsync(server, victim, secret);
    }

    [Fact]
    public async Task The_admin_api_sets_and_clears_a_clients_limit()
    {
        var (admin, clientId, _) = await LimitedServiceAsync(tokenRateLimit: null);
        using var __ = admin;
        var path = $"/admin/clients/{clientId}";

        var set = ClientAdmin.Service(clientId);
        set["token_rate_limit"] = 25;
        var updated = await (await admin.PutAsync(path, Infrastructure.Admin.Json(set.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(25, updated.GetProperty("token_rate_limit").GetInt32());
        Assert.Equal(25, (await admin.GetClientAsync(clientId)).GetProperty("token_rate_limit").GetInt32());

        foreach (var bad in new JsonNode[] { 0, -1, 1_000_001 })
        {
            var refused = ClientAdmin.Service(clientId);
            refused["token_rate_limit"] = bad;
            await (await admin.PutAsync(path, Infrastructure.Admin.Json(refused.ToJsonString()))).ProblemAsync(HttpStatusCode.BadRequest, "token_rate_limit");
        }

        var cleared = await (await admin.PutAsync(path, Infrastructure.Admin.Json(ClientAdmin.Service(clientId).ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("token_rate_limit").ValueKind);
        Assert.Equal(2, (await admin.AuditAsync($"subject={clientId}&event_type=client.updated")).Count); // set, cleared
    }

    [Fact]
    public async Task A_sign_in_flood_from_one_address_gets_a_429_page_with_Retry_After()
    {
        // The authorization request's sign-in page, whose form posts to /account/login.
        using var browser = server.NewBrowser();
        var authorize = Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New());
        using var page = await browser.GetAsync(authorize);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/account/login\"", html, StringComparison.Ordinal);

        for (var i = 0; i < RateLimitFixture.SignInPerMinute; i++)
        {
            using var attempt = await browser.SignInAsync(html, SignInClients.BobUsername, "not-the-password");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, attempt.StatusCode);
        }

        using var limited = await browser.SignInAsync(html, SignInClients.BobUsername, SignInClients.BobPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString(), CultureInfo.InvariantCulture) is >= 1 and <= 60);
        Assert.Equal("text/html; charset=utf-8", limited.Content.Headers.ContentType?.ToString());
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Only the form posts are limited: the page itself and the token endpoint still answer.
        using var again = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await OAuthAssert.TokenSuccessAsync(await server.Client.PostC1Async());
    }

    [Fact]
    public async Task A_sign_up_flood_from_one_address_gets_429_with_Retry_After()
    {
        using var browser = server.NewBrowser();
        for (var i = 0; i < RateLimitFixture.SignUpPerMinute; i++)
        {
            using var attempt = await browser.Http.PostAsync("/account/register", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "x" }));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, attempt.StatusCode);
        }

        using var limited = await browser.Http.PostAsync("/account/register", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "x" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("Too many registrations", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
