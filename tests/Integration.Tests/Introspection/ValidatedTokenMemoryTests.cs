using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Introspection;

/// <summary>
/// A token validated once is remembered by its hash (docs/adr/0040, "validated tokens"), but its lifetime is checked on
/// every use: remembered, it still stops at its <c>exp</c> by the server's clock, with no skew. (A change of the published
/// keys starts afresh: ReplicaKeyRingTests introspects a token, revokes its key, and sees it inactive.)
/// </summary>
public sealed class ValidatedTokenMemoryTests
{
    [Fact]
    public async Task A_remembered_token_is_active_until_its_exp_and_inactive_from_then_on()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database);
        var token = await server.Client.C1TokenAsync();
        var exp = DateTimeOffset.FromUnixTimeSeconds(AccessTokens.Read(token).GetPayloadValue<long>("exp"));

        await BackChannel.ActiveAsync(await server.Client.IntrospectAsync(token, BackChannel.C1Basic));
        server.Clock.SetUtcNow(exp.AddSeconds(-1));
        await BackChannel.ActiveAsync(await server.Client.IntrospectAsync(token, BackChannel.C1Basic));

        // A copy that differs in one byte of its signature is not the remembered token.
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        await BackChannel.InactiveAsync(await server.Client.IntrospectAsync(tampered, BackChannel.C1Basic), "with an altered signature");

        server.Clock.SetUtcNow(exp);
        await BackChannel.InactiveAsync(await server.Client.IntrospectAsync(token, BackChannel.C1Basic), "at exp");
    }
}
