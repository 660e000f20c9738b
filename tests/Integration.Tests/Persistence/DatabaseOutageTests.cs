using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Persistence;

/// <summary>
/// ASVS 16.5.3 (fail closed): with the database gone, readiness fails, liveness stays up, and a token
/// request that needs the database gets 503 temporarily_unavailable with Retry-After, never a 500
/// or a stack trace.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task With_the_database_gone_the_server_fails_closed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson());
        using var client = server.Start();
        await OAuthAssert.TokenSuccessAsync(await client.PostC1Async());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        await database.DropAsync();

        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());

        var live = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());

        // C2 has not been looked up yet, so this request needs the database.
        var response = await client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C2, TestClients.C2Secret));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Header("Cache-Control")}");
        Assert.NotNull(response.Header("Retry-After"));
        var body = await response.JsonAsync();
        Assert.Equal("temporarily_unavailable", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        Assert.DoesNotContain(database.Name, text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);

        // Metadata and keys are served from memory and stay available (ASVS 16.5.3 allows it).
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/.well-known/jwks.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/.well-known/openid-configuration")).StatusCode);
    }
}
