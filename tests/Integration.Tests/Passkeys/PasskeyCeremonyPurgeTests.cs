using System.Net;
using AuthService.Application.SignIn.Commands.PurgeEndedGrants;
using AuthService.Domain.Passkeys;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Passkeys;

/// <summary>
/// A passkey sign-in ceremony is stored before anyone has signed in (its page is public), so the clean-up job
/// (<see cref="PurgeEndedGrants"/>) deletes ceremonies once they expired, spent or not; a live one stays.
/// </summary>
public sealed class PasskeyCeremonyPurgeTests
{
    [Fact]
    public async Task Expired_passkey_ceremonies_are_deleted_and_live_ones_stay()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database);
        using var browser = server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        var t0 = server.Clock.GetUtcNow();

        for (var i = 0; i < 3; i++)
        {
            using var page = await browser.GetAsync("/account/signin/passkey");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal(3L, await CeremoniesAsync(database));

        // Within their lifetime nothing goes.
        server.Clock.SetUtcNow(t0 + PasskeyCeremony.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeEndedGrants()));
        using (var fresh = await browser.GetAsync("/account/signin/passkey"))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // Past it, the three old ones go in small batches; the one started later stays.
        server.Clock.SetUtcNow(t0 + PasskeyCeremony.Lifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(3, await server.Factory.SendAsync(new PurgeEndedGrants(BatchSize: 2)));
        Assert.Equal(1L, await CeremoniesAsync(database));
    }

    private static Task<long> CeremoniesAsync(TestDatabase database) => database.ScalarAsync<long>("SELECT count(*) FROM passkey_ceremonies");
}
