using System.Net;
using AuthService.Application.SignIn.Commands.PurgeEndedGrants;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.PushedAuthorization.PushedClients;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.PushedAuthorization;

/// <summary>RFC 9126 §5 <c>require_pushed_authorization_requests</c> per client, and PAR expiry.</summary>
public sealed class RequirePushedAuthorizationTests(PushedAuthorizationFixture server) : IClassFixture<PushedAuthorizationFixture>
{
    [Fact]
    public async Task A_client_that_requires_pushed_requests_has_its_plain_request_refused()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Browser.AuthorizeUrl(PR, PRRedirect, "openid", PkcePair.New()));

        var error = AssertRedirectError(response, PRRedirect, "invalid_request");
        Assert.Contains("pushed", error["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_requires_pushed_requests_completes_the_flow_with_one()
    {
        var pkce = PkcePair.New();
        var requestUri = await PushedRequestUriAsync(server.Client, Parameters(PR, PRRedirect, "openid api.read", pkce), PR, PRSecret);
        using var browser = server.NewBrowser();

        using var response = await browser.AuthorizeAsync(AuthorizeUrl(PR, requestUri));

        var code = AssertCode(response, PRRedirect);
        using var token = await CodeFlowTokens.RedeemAsync(server.Client, PR, PRSecret, code, pkce.Verifier, PRRedirect);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task Other_clients_are_not_affected()
    {
        using var browser = server.NewBrowser();

        AssertCode(await browser.AuthorizeAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New())), SignInClients.CFRedirect);
    }
}

/// <summary><c>Auth:RequirePushedAuthorizationRequests=true</c>: every client must push (RFC 9126 §5), and discovery says so.</summary>
public sealed class ServerWidePushedAuthorizationTests(ServerWidePushedAuthorizationTests.Fixture server) : IClassFixture<ServerWidePushedAuthorizationTests.Fixture>
{
    public sealed class Fixture : PushedAuthorizationFixture
    {
        protected override IReadOnlyDictionary<string, string?> Overrides =>
            new Dictionary<string, string?> { ["Auth:RequirePushedAuthorizationRequests"] = "true" };
    }

    [Fact]
    public async Task Every_plain_request_is_refused_and_a_pushed_one_works()
    {
        using var browser = server.NewBrowser();
        using var plain = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New()));
        AssertRedirectError(plain, SignInClients.CFRedirect, "invalid_request");

        var requestUri = await PushedRequestUriAsync(server.Client, Parameters(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New()), SignInClients.CF, SignInClients.CFSecret);
        AssertCode(await browser.AuthorizeAsync(AuthorizeUrl(SignInClients.CF, requestUri)), SignInClients.CFRedirect);
    }

    [Fact]
    public async Task Discovery_says_pushed_requests_are_required()
    {
        var metadata = await (await server.Client.GetAsync("/.well-known/openid-configuration")).JsonAsync();

        Assert.True(metadata.GetProperty("require_pushed_authorization_requests").GetBoolean());
    }
}

/// <summary>RFC 9126 §2.2: a request_uri expires (60 s here); on a server whose clock the test moves.</summary>
public sealed class PushedAuthorizationExpiryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ClockedServer _server = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _server = await ClockedServer.StartAsync(_database, seedJson: PushedClients.SeedJson());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(59, true)]
    [InlineData(60, false)]
    public async Task A_request_uri_is_usable_until_it_expires(int secondsLater, bool usable)
    {
        var requestUri = await PushedRequestUriAsync(_server.Client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);
        _server.Clock.Advance(TimeSpan.FromSeconds(secondsLater));
        using var browser = new Browser(_server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));

        using var response = await browser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri));

        if (usable)
        {
            await AssertLoginPageAsync(response);
        }
        else
        {
            await AssertErrorPageAsync(response, "invalid_request_uri");
        }
    }

    // Opened in time, the request may take longer than its 60 s through the sign-in: what counts is the opening.
    [Fact]
    public async Task A_request_opened_in_time_completes_after_its_lifetime()
    {
        var pkce = PkcePair.New();
        var requestUri = await PushedRequestUriAsync(_server.Client, Parameters(SignInClients.CF, SignInClients.CFRedirect, "openid", pkce), SignInClients.CF, SignInClients.CFSecret);
        using var browser = new Browser(_server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));
        var login = await AssertLoginPageAsync(await browser.GetAsync(AuthorizeUrl(SignInClients.CF, requestUri)));
        _server.Clock.Advance(TimeSpan.FromMinutes(5));

        using var signedIn = await browser.FollowAsync(await browser.SignInAsync(login, SignInClients.AliceUsername, SignInClients.AlicePassword));

        AssertCode(signedIn, SignInClients.CFRedirect);
    }

    // The clean-up job deletes expired pushed requests; live ones stay usable.
    [Fact]
    public async Task Expired_pushed_requests_are_purged_and_live_ones_stay()
    {
        await PushedRequestUriAsync(_server.Client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);
        _server.Clock.Advance(TimeSpan.FromSeconds(61));
        var live = await PushedRequestUriAsync(_server.Client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);

        Assert.Equal(1, await _server.Factory.SendAsync(new PurgeEndedGrants()));

        Assert.Equal(1L, await StoredRequestsAsync(_database));
        using var browser = new Browser(_server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));
        await AssertLoginPageAsync(await browser.GetAsync(AuthorizeUrl(SignInClients.CW, live)));
    }
}
