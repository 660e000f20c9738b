using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.DPoP;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using static AuthService.Integration.Tests.Fapi.FapiClients;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.Fapi;

/// <summary>
/// FAPI 2.0 Security Profile §5.3.2.1: a fapi2 client's codes live at most 60 seconds, here on a server whose
/// code lifetime is 10 minutes for everyone else (<c>Auth:SignIn:AuthorizationCodeLifetime</c>), and whose clock the
/// test moves, so no test waits.
/// </summary>
public sealed class Fapi2CodeLifetimeTests : IAsyncLifetime, IDisposable
{
    private readonly DPoPKey _key = DPoPKey.Es256();
    private TestDatabase _database = null!;
    private ClockedServer _server = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _server = await ClockedServer.StartAsync(_database,
            new Dictionary<string, string?> { ["Auth:SignIn:AuthorizationCodeLifetime"] = "00:10:00" }, seedJson: FapiClients.SeedJson());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    public void Dispose() => _key.Dispose();

    private DateTimeOffset Now => _server.Clock.GetUtcNow();

    private Browser NewBrowser() =>
        new(_server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));

    private async Task<(string Code, PkcePair Pkce)> FapiCodeAsync()
    {
        var pkce = PkcePair.New();
        using var pushed = await PushAsync(_server.Client, Now, pkce);
        var body = await pushed.Content.ReadAsStringAsync();
        Assert.True(pushed.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)pushed.StatusCode}: {body}");
        var requestUri = JsonDocument.Parse(body).RootElement.GetProperty("request_uri").GetString()!;
        using var browser = NewBrowser();
        return (AssertCode(await browser.AuthorizeAsync(PushedClients.AuthorizeUrl(FA, requestUri)), FARedirect), pkce);
    }

    [Theory]
    [InlineData(59, true)]
    [InlineData(61, false)]
    public async Task A_fapi2_code_is_redeemable_for_60_seconds_only(int secondsLater, bool redeemable)
    {
        var (code, pkce) = await FapiCodeAsync();
        _server.Clock.Advance(TimeSpan.FromSeconds(secondsLater));

        using var response = await RedeemAsync(_server.Client, Now, code, pkce, _key.Proof(issuedAt: Now));

        if (redeemable)
        {
            await AssertBoundTokensAsync(response, _key);
        }
        else
        {
            await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task Other_clients_keep_the_server_wide_lifetime()
    {
        var pkce = PkcePair.New();
        using var browser = NewBrowser();
        var code = AssertCode(await browser.AuthorizeAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", pkce)), SignInClients.CFRedirect);
        _server.Clock.Advance(TimeSpan.FromSeconds(61));

        await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(_server.Client, SignInClients.CF, SignInClients.CFSecret, code, pkce.Verifier, SignInClients.CFRedirect), codeFlow: true);
    }
}
