using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Passkeys;

/// <summary>
/// Starting passkey ceremonies is limited per source address (<c>Auth:Passkeys:CeremoniesPerAddress</c> within
/// <c>CeremonyWindow</c>): beyond it every passkey page answers 429 with Retry-After and writes no row to
/// <c>passkey_ceremonies</c>; after the window the address may start again.
/// </summary>
public sealed class PasskeyCeremonyLimitTests
{
    [Fact]
    public async Task Beyond_the_limit_a_passkey_page_is_429_with_retry_after_and_writes_no_row()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, new Dictionary<string, string?>
        {
            ["Auth:Passkeys:CeremoniesPerAddress"] = "2",
            ["Auth:Passkeys:CeremonyWindow"] = "00:01:00",
        });
        using var browser = server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });

        for (var i = 0; i < 2; i++)
        {
            using var page = await browser.GetAsync("/account/signin/passkey");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using var refused = await browser.GetAsync("/account/signin/passkey");
        using var device = await browser.GetAsync("/device/login/passkey");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, device.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal("no-store", refused.Headers.CacheControl?.ToString());
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM passkey_ceremonies"));

        server.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        using var again = await browser.GetAsync("/account/signin/passkey");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM passkey_ceremonies"));
    }
}
