using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// ASVS 10.4.8 (an absolute lifetime, however often the token is refreshed) and RFC 9700 §4.14.2
/// (expiry after inactivity). The server runs on a <see cref="FakeTimeProvider"/> with an idle
/// lifetime of 1 minute and an absolute lifetime of 2 minutes, so no test waits.
/// </summary>
public sealed class RefreshGrantLifetimeTests
{
    private const string Scope = "openid offline_access api.read";

    private static readonly Dictionary<string, string?> ShortLifetimes = new()
    {
        ["Auth:SignIn:RefreshTokenIdleLifetime"] = "00:01:00",
        ["Auth:SignIn:RefreshTokenAbsoluteLifetime"] = "00:02:00",
    };

    [Fact]
    public async Task A_refresh_token_unused_for_the_idle_lifetime_is_invalid_grant_while_use_keeps_a_family_alive()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, ShortLifetimes, seedJson: SignInClients.SeedJson());
        var (client, clock) = (server.Client, server.Clock);
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);
        var used = await CodeGrantSupport.TokensAsync(browser, client, SignInClients.CW, Scope);
        var idle = await CodeGrantSupport.TokensAsync(browser, client, SignInClients.CW, Scope);
        var idleExactly = await CodeGrantSupport.TokensAsync(browser, client, SignInClients.CW, Scope);

        var start = clock.GetUtcNow();

        // 59 s: both are within the idle lifetime; the used family is refreshed, which restarts its idle clock.
        clock.Advance(TimeSpan.FromSeconds(59));
        using (var introspected = await CodeGrantSupport.IntrospectAsync(client, idle.RefreshToken!, SignInClients.CW))
        {
            // RFC 7662 §2.2: exp is when the token stops working: here the idle expiry, 60 s after its last use.
            var body = await BackChannel.ActiveAsync(introspected);
            var exp = DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("exp").GetInt64());
            Assert.True(exp > clock.GetUtcNow() && exp <= start.AddSeconds(60), $"exp {exp:o} of a refresh token idle since {start:o} (60 s idle lifetime): {body}");
        }

        var usedNext = await CodeGrantSupport.RefreshedAsync(client, SignInClients.CW, used.RefreshToken!);

        // 60 s: a family unused since its start ends at exactly the idle lifetime.
        clock.Advance(TimeSpan.FromSeconds(1));
        await CodeGrantSupport.RefreshFailsAsync(client, SignInClients.CW, idleExactly.RefreshToken!, "a refresh token unused for exactly the idle lifetime (60 s)");

        // 61 s: unused for longer than the idle lifetime; inactive at introspection too.
        clock.Advance(TimeSpan.FromSeconds(1));
        await CodeGrantSupport.AssertInactiveAsync(client, idle.RefreshToken!, SignInClients.CW, "a refresh token past its idle lifetime");
        await CodeGrantSupport.RefreshFailsAsync(client, SignInClients.CW, idle.RefreshToken!, "a refresh token unused for 61 s with a 60 s idle lifetime");

        // 118 s: the used family was last used at 59 s, so 59 s idle: still alive.
        clock.Advance(TimeSpan.FromSeconds(57));
        var usedAgain = await CodeGrantSupport.RefreshedAsync(client, SignInClients.CW, usedNext.RefreshToken!);
        await CodeGrantSupport.RefreshFailsAsync(client, SignInClients.CW, idle.RefreshToken!, "the idle family stays ended");
        Assert.NotEqual(usedNext.RefreshToken, usedAgain.RefreshToken);
    }

    [Fact]
    public async Task A_refresh_token_refreshed_continuously_ends_at_the_absolute_lifetime()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, ShortLifetimes, seedJson: SignInClients.SeedJson());
        var (client, clock) = (server.Client, server.Clock);
        using var browser = CodeGrantSupport.NewBrowser(server.Factory);
        var tokens = await CodeGrantSupport.TokensAsync(browser, client, SignInClients.CW, Scope);

        // Refreshed every 30 s: never idle for long.
        var current = tokens.RefreshToken!;
        for (var elapsed = 30; elapsed <= 90; elapsed += 30)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            current = (await CodeGrantSupport.RefreshedAsync(client, SignInClients.CW, current)).RefreshToken!;
        }

        // 119 s: the last second of the absolute lifetime.
        clock.Advance(TimeSpan.FromSeconds(29));
        current = (await CodeGrantSupport.RefreshedAsync(client, SignInClients.CW, current)).RefreshToken!;

        // 120 s: the absolute lifetime is over, although the token was used a second ago.
        clock.Advance(TimeSpan.FromSeconds(1));
        await CodeGrantSupport.RefreshFailsAsync(client, SignInClients.CW, current, "a refresh token at the absolute lifetime (120 s), used 1 s ago");

        clock.Advance(TimeSpan.FromSeconds(30));
        await CodeGrantSupport.RefreshFailsAsync(client, SignInClients.CW, current, "a refresh token past the absolute lifetime");
    }
}
