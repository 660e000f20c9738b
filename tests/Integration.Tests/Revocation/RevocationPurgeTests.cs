using AuthService.Application.Revocation.Commands.PurgeExpiredRevocations;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Revocation;

/// <summary>
/// The denylist clean-up (docs/adr/0011, ASVS 15.4.3): entries of expired
/// tokens are deleted, entries of live tokens are kept, and deleting an entry never brings a token back.
/// The server runs on a <see cref="FakeTimeProvider"/> with its jobs paused; the test sends
/// <see cref="PurgeExpiredRevocations"/> itself, as the purge job does.
/// </summary>
public sealed class RevocationPurgeTests
{
    [Fact]
    public async Task The_purge_deletes_only_entries_of_expired_tokens_and_no_revoked_token_becomes_active()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database);
        var (client, clock) = (server.Client, server.Clock);

        // CP's tokens live 5 minutes, C1's an hour.
        var shortLived = (await OAuthAssert.TokenSuccessAsync(await client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)))))
            .GetProperty("access_token").GetString()!;
        var longLived = await client.C1TokenAsync();
        var shortId = AccessTokens.Read(shortLived).Id;
        var longId = AccessTokens.Read(longLived).Id;
        var shortExpires = DateTimeOffset.FromUnixTimeSeconds(AccessTokens.Read(shortLived).GetPayloadValue<long>("exp"));
        var longExpires = DateTimeOffset.FromUnixTimeSeconds(AccessTokens.Read(longLived).GetPayloadValue<long>("exp"));
        Assert.True(longExpires - shortExpires >= TimeSpan.FromMinutes(50));

        await BackChannel.RevokedAsync(await client.PostTokenAsync(
            Protocol.Form(("token", shortLived), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)), path: BackChannel.RevocationPath));
        await BackChannel.RevokedAsync(await client.RevokeAsync(longLived, BackChannel.C1Basic));
        Assert.Equal(new[] { longId, shortId }.Order(StringComparer.Ordinal), await DenylistAsync(database));

        // Nothing has expired yet: the purge deletes nothing.
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeExpiredRevocations()));
        Assert.Equal(new[] { longId, shortId }.Order(StringComparer.Ordinal), await DenylistAsync(database));

        // Past the short-lived token's expiry: its entry goes, the other stays.
        clock.SetUtcNow(shortExpires + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await server.Factory.SendAsync(new PurgeExpiredRevocations()));
        Assert.Equal([longId], await DenylistAsync(database));

        // Without its entry, the expired token is still refused (its expiry does that now), and the
        // unexpired revoked token is still inactive.
        await BackChannel.InactiveAsync(await client.PostTokenAsync(
            Protocol.Form(("token", shortLived), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)), path: BackChannel.IntrospectionPath),
            "an expired token whose denylist entry was purged");
        await BackChannel.InactiveAsync(await client.IntrospectAsync(longLived, BackChannel.C1Basic), "a revoked token that has not expired");

        // ASVS 15.4.3 spirit: purges running alongside introspection of the revoked token change no answer
        // and fail nothing.
        var purges = Enumerable.Range(0, 4).Select(_ => server.Factory.SendAsync(new PurgeExpiredRevocations())).ToList();
        var introspections = Enumerable.Range(0, 8).Select(_ => client.IntrospectAsync(longLived, BackChannel.C1Basic)).ToList();
        Assert.Equal(0, (await Task.WhenAll(purges)).Sum());
        foreach (var response in await Task.WhenAll(introspections))
        {
            await BackChannel.InactiveAsync(response, "a revoked token introspected while the purge runs");
        }

        Assert.Equal([longId], await DenylistAsync(database));

        // A second before the long-lived token expires its entry is kept. At the very second of its
        // expiry the entry goes, and the token is refused by its expiry from that same second on: there
        // is no instant at which neither holds.
        clock.SetUtcNow(longExpires - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeExpiredRevocations()));
        await BackChannel.InactiveAsync(await client.IntrospectAsync(longLived, BackChannel.C1Basic), "a revoked token a second before its expiry");
        clock.SetUtcNow(longExpires);
        Assert.Equal(1, await server.Factory.SendAsync(new PurgeExpiredRevocations()));
        Assert.Empty(await DenylistAsync(database));
        await BackChannel.InactiveAsync(await client.IntrospectAsync(longLived, BackChannel.C1Basic), "an expired token whose denylist entry was purged");

        // A token issued now is unaffected.
        await BackChannel.ActiveAsync(await client.IntrospectAsync(await client.C1TokenAsync(), BackChannel.C1Basic));
    }

    private static async Task<List<string>> DenylistAsync(TestDatabase database) =>
        [.. (await database.QueryAsync("SELECT jti FROM revoked_access_tokens")).Select(r => (string)r[0]).Order(StringComparer.Ordinal)];
}
