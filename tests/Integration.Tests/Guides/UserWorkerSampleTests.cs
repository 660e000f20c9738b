using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.TokenExchange;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/acting-for-a-user.md: the person's web app (confidential, code + refresh, <c>offline_access</c>), the worker
/// (confidential, token exchange by delegation for the web app's tokens, to the orders API only, and client_credentials
/// for its own actor token), and the orders API as a registered protected resource.
/// </summary>
public sealed class UserWorkerServer : GuideServer
{
    public const string WebApp = "guide-web";
    public const string WebAppSecret = "guide-web-secret-0123456789";
    public const string WebAppRedirect = "https://web.example/callback";
    public const string Worker = "guide-worker";
    public const string WorkerSecret = "guide-worker-secret-0123456789";
    public const string OrdersApi = "https://api.example.com/orders";

    protected override JsonObject Seed() => new()
    {
        ["clients"] = new JsonArray(
            TestClients.Client(WebApp, WebAppSecret, "client_secret_basic", ["authorization_code", "refresh_token"], "openid offline_access orders.read",
                redirectUris: [WebAppRedirect]),
            TokenExchangeFixture.WithPolicy(
                TestClients.Client(Worker, WorkerSecret, "client_secret_basic", ["urn:ietf:params:oauth:grant-type:token-exchange", "client_credentials"], "orders.read"),
                [OrdersApi], [WebApp])),
        ["resources"] = new JsonArray(new JsonObject { ["resource"] = OrdersApi, ["name"] = "Orders API", ["scopes"] = new JsonArray("orders.read") }),
    };
}

/// <summary>
/// samples/UserWorker run as its own process against the real server, with the tokens of a person who signed in to the web
/// app (this test signs them in over HTTP and redeems the code as the web app would): the worker exchanges the person's
/// access token, or the refresh token the web app keeps, for a token to the orders API that names the person and the
/// worker acting for them (RFC 8693 §4.1); or, as the web app's own background job, redeems the stored refresh token
/// while the person is away and stores the rotated one.
/// </summary>
public sealed class UserWorkerSampleTests(UserWorkerServer server) : IClassFixture<UserWorkerServer>
{
    private const string Scope = "openid offline_access orders.read";

    [Fact]
    public async Task The_worker_exchanges_the_persons_access_token_for_a_token_to_the_downstream_api_with_act()
    {
        var tokens = await SignInAsync();

        var summary = await ExchangeAsync(tokens.GetProperty("access_token").GetString()!, "access_token");

        var claims = summary.GetProperty("claims");
        Assert.Equal(await server.UserIdAsync(), claims.GetProperty("sub").GetString());
        Assert.Equal(UserWorkerServer.OrdersApi, claims.GetProperty("aud").GetString());
        Assert.Equal(UserWorkerServer.Worker, claims.GetProperty("client_id").GetString());
        Assert.Equal(UserWorkerServer.Worker, claims.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("orders.read", summary.GetProperty("scope").GetString());
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", summary.GetProperty("issued_token_type").GetString());
    }

    // Work while the person is away, without holding the web app's credentials: the refresh token is exchanged, not
    // redeemed, so it is neither rotated nor used up and the web app's next refresh still works (docs/adr/0030).
    [Fact]
    public async Task The_worker_exchanges_the_refresh_token_kept_for_offline_work_and_the_web_app_can_still_refresh()
    {
        var tokens = await SignInAsync();
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        var summary = await ExchangeAsync(refreshToken, "refresh_token");

        var claims = summary.GetProperty("claims");
        Assert.Equal(await server.UserIdAsync(), claims.GetProperty("sub").GetString());
        Assert.Equal(UserWorkerServer.OrdersApi, claims.GetProperty("aud").GetString());
        Assert.Equal(UserWorkerServer.Worker, claims.GetProperty("act").GetProperty("sub").GetString());
        using var client = server.NewClient();
        await OAuthAssert.TokenSuccessAsync(await CodeFlowTokens.RefreshAsync(client, UserWorkerServer.WebApp, UserWorkerServer.WebAppSecret, refreshToken), codeFlow: true);
    }

    // The refresh-token alternative: the worker is part of the web app (its client), keeps the offline refresh token in a
    // file, and each run redeems it and writes the rotated one back; the second run works with what the first stored.
    [Fact]
    public async Task The_web_apps_worker_refreshes_while_the_person_is_away_and_keeps_the_rotated_refresh_token()
    {
        var tokens = await SignInAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("authservice-worker-").FullName, "refresh-token.txt");
        await File.WriteAllTextAsync(file, tokens.GetProperty("refresh_token").GetString()!);
        try
        {
            var userId = await server.UserIdAsync();
            string[] args = ["refresh", "--client-id", UserWorkerServer.WebApp, "--token-file", file];
            var environment = new Dictionary<string, string> { ["CLIENT_SECRET"] = UserWorkerServer.WebAppSecret };
            for (var run = 1; run <= 2; run++)
            {
                var stored = await File.ReadAllTextAsync(file);
                await using var worker = server.StartSample("UserWorker", args, environment);
                var summary = await worker.SummaryAsync();
                Assert.True(summary.GetProperty("rotated").GetBoolean(), worker.Output);
                Assert.NotEqual(stored, await File.ReadAllTextAsync(file));
                Assert.Equal(userId, summary.GetProperty("claims").GetProperty("sub").GetString());
                Assert.Equal(["offline_access", "openid", "orders.read"], summary.GetProperty("scope").GetString()!.Split(' ').Order());
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>The person signs in to the web app, which redeems the code: its token response.</summary>
    private async Task<JsonElement> SignInAsync()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        using var response = await server.AuthorizeAsync(browser, Browser.AuthorizeUrl(UserWorkerServer.WebApp, UserWorkerServer.WebAppRedirect, Scope, pkce),
            GuideServer.Username, GuideServer.Password);
        var code = Browser.ResponseParameters(response)["code"];
        using var client = server.NewClient();
        return await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(client, UserWorkerServer.WebApp, UserWorkerServer.WebAppSecret, code, pkce.Verifier, UserWorkerServer.WebAppRedirect),
            codeFlow: true);
    }

    private async Task<JsonElement> ExchangeAsync(string subjectToken, string subjectTokenType)
    {
        await using var worker = server.StartSample("UserWorker",
            ["exchange", "--client-id", UserWorkerServer.Worker, "--resource", UserWorkerServer.OrdersApi, "--subject-token-type", subjectTokenType],
            new Dictionary<string, string> { ["USER_TOKEN"] = subjectToken, ["CLIENT_SECRET"] = UserWorkerServer.WorkerSecret });
        var summary = await worker.SummaryAsync();
        Assert.DoesNotContain(subjectToken, worker.Output, StringComparison.Ordinal);
        return summary;
    }
}
