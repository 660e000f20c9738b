using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// ASVS 10.4.3 (OAuth 2.1 §4.1.2): a code is refused after its lifetime. The server runs on a
/// <see cref="FakeTimeProvider"/> with <c>Auth:SignIn:AuthorizationCodeLifetime</c> = 10 s, so no test waits.
/// </summary>
public sealed class CodeGrantExpiryTests
{
    private static readonly Dictionary<string, string?> TenSecondCodes = new() { ["Auth:SignIn:AuthorizationCodeLifetime"] = "00:00:10" };

    [Fact]
    public async Task A_code_is_redeemable_within_its_lifetime_and_invalid_grant_after_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, TenSecondCodes, seedJson: SignInClients.SeedJson());
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);

        var early = PkcePair.New();
        var earlyCode = await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, "openid offline_access", early);
        var late = PkcePair.New();
        var lateCode = await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, "openid offline_access", late);

        // 9 s later: still within the lifetime.
        server.Clock.Advance(TimeSpan.FromSeconds(9));
        using (var response = await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CW, earlyCode, early.Verifier, SignInClients.CWRedirect))
        {
            await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
        }

        // 11 s after issue: expired.
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CW, lateCode, late.Verifier, SignInClients.CWRedirect), "a code 11 s old with a 10 s lifetime");

        // And it stays expired (no tokens however often it is tried).
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CW, lateCode, late.Verifier, SignInClients.CWRedirect), "a code 5 min old");
    }

    // Expiry holds at its exact instant (now >= expiry is expired) for a public client too.
    [Fact]
    public async Task A_public_clients_code_is_invalid_grant_at_the_end_of_its_lifetime()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, TenSecondCodes, seedJson: SignInClients.SeedJson());
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);
        var pkce = PkcePair.New();
        var code = await CodeGrantSupport.CodeAsync(browser, SignInClients.PN, "openid api.read", pkce);

        server.Clock.Advance(TimeSpan.FromSeconds(10));

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.PN, code, pkce.Verifier, SignInClients.PNRedirect), "PN's code at exactly 10 s");
    }
}
