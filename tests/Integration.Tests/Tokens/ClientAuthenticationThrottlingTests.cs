using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tokens;

/// <summary>A server of its own with a failure limit of 5, so its in-memory counters touch no other test.</summary>
public sealed class ThrottlingServerFixture : AuthServerFixture
{
    public const int FailureLimit = 5;

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:ClientAuthenticationFailureLimit"] = FailureLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth:ClientAuthenticationFailureWindowSeconds"] = "600",
    };
}

/// <summary>
/// (OAuth 2.1 §2.4.1: endpoints using client secrets MUST be protected against brute force).
/// One test only, because the counters it fills belong to the fixture's server.
/// </summary>
public sealed class ClientAuthenticationThrottlingTests(ThrottlingServerFixture server) : IClassFixture<ThrottlingServerFixture>
{
    private static readonly string ClientCredentials = Protocol.Form(("grant_type", "client_credentials"));

    private readonly HttpClient _client = server.Client;

    [Fact]
    public async Task Repeated_wrong_secrets_throttle_that_client_only()
    {
        for (var attempt = 1; attempt <= ThrottlingServerFixture.FailureLimit; attempt++)
        {
            var failed = await _client.PostTokenAsync(ClientCredentials, Protocol.Basic(TestClients.C1, $"wrong-secret-{attempt}-0123456789"));
            await OAuthAssert.TokenErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_client");
        }

        // Over the limit even the right secret is refused, so guessing cannot go on.
        var throttled = await _client.PostTokenAsync(ClientCredentials, Protocol.Basic(TestClients.C1, TestClients.C1Secret));
        var text = await throttled.Content.ReadAsStringAsync();
        Assert.True(throttled.StatusCode == HttpStatusCode.TooManyRequests, $"Expected 429, got {(int)throttled.StatusCode}: {text}");
        Assert.Equal("application/json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", throttled.Header("Cache-Control"));
        var retryAfter = throttled.Header("Retry-After");
        Assert.NotNull(retryAfter);
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        var body = await throttled.JsonAsync();
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));

        // The body credentials of the same client id are throttled too: the key is the client id.
        var viaBody = await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.C1), ("client_secret", TestClients.C1Secret)));
        Assert.Equal(HttpStatusCode.TooManyRequests, viaBody.StatusCode);

        // Another client is not affected.
        var other = await _client.PostTokenAsync(ClientCredentials, Protocol.Basic(TestClients.C2, TestClients.C2Secret));
        await OAuthAssert.TokenSuccessAsync(other);
    }
}
