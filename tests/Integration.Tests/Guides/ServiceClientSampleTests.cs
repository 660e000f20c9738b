using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/service-to-service.md: samples/ServiceClient, a worker that gets client-credentials tokens from the server and calls
/// samples/JwtBearerApi with them, both as their own processes. Its clients' tokens live 30 s (the shortest the server allows)
/// and the worker renews 28 s ahead, so within seconds it shows both halves of its cache: calls that reuse the cached token, and a
/// new token fetched before the old one expired. Once with client_secret_basic, once with private_key_jwt (RFC 7523).
/// </summary>
[Collection(WebGuideCollection.Name)]
public sealed partial class ServiceClientSampleTests(WebGuideServer server)
{
    private static readonly TimeSpan ObservationBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_worker_reuses_its_cached_token_and_renews_it_before_expiry_with_a_client_secret_and_with_a_private_key()
    {
        var apiAddress = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        await using var api = await WebGuideServer.StartSampleAsync("JwtBearerApi", apiAddress,
            ["--Authority", server.Issuer, "--Audience", WebGuideServer.OrdersApi], "/me", HttpStatusCode.Unauthorized);

        string[] common =
        [
            "--TokenClient:Authority", server.Issuer, "--TokenClient:Scope", "orders.read", "--TokenClient:RefreshBefore", "00:00:28",
            "--Worker:Api", new Uri(apiAddress, "/me").ToString(), "--Worker:Interval", "00:00:00.400",
        ];
        await using var withSecret = StartWorker([.. common, "--TokenClient:ClientId", WebGuideServer.Caller, "--TokenClient:ClientSecret", WebGuideServer.CallerSecret]);
        await using var withKey = StartWorker([.. common, "--TokenClient:ClientId", WebGuideServer.KeyCaller, "--TokenClient:ClientSecret=",
            "--TokenClient:PrivateKeyFile", WebGuideServer.RepositoryFile("samples", "demo-private-key-jwt.pem"), "--TokenClient:KeyId", WebGuideServer.KeyId]);

        await AssertCachesAndRenewsAsync(withSecret, WebGuideServer.Caller, "client_secret_basic");
        await AssertCachesAndRenewsAsync(withKey, WebGuideServer.KeyCaller, "private_key_jwt");
        Assert.DoesNotContain(WebGuideServer.CallerSecret, withSecret.Output, StringComparison.Ordinal);
    }

    private static ServerProcess StartWorker(string[] args) =>
        ServerProcess.Start(ServerProcess.BuiltAssembly(Path.Combine("samples", "ServiceClient"), "ServiceClient.dll"), args, new Dictionary<string, string>());

    private static async Task AssertCachesAndRenewsAsync(ServerProcess worker, string clientId, string method)
    {
        // Wait (bounded) until the worker has made a call with a reused token and has fetched a second token.
        var deadline = DateTime.UtcNow + ObservationBound;
        while (!(Acquired(worker.Output).Count >= 2 && Reused(Calls(worker.Output))) && DateTime.UtcNow < deadline && !worker.HasExited)
        {
            await Task.Delay(200);
        }

        var output = worker.Output;
        var acquired = Acquired(output);
        var calls = Calls(output);
        Assert.True(acquired.Count >= 2 && Reused(calls), $"Expected reuse and a renewal within {ObservationBound.TotalSeconds} s. Output:\n{output}");

        // Every token came by the configured method, lived 30 s, and was a new one (renewed, not the cached one fetched again).
        Assert.All(acquired, a => Assert.Equal((method, "30"), (a.Method, a.ExpiresIn)));
        Assert.Equal(acquired.Count, acquired.Select(a => a.Fingerprint).Distinct().Count());

        // Every call the API answered 200, seeing the worker itself as the caller, with a token the worker had fetched.
        Assert.All(calls, c => Assert.Equal("200", c.Status));
        Assert.All(calls, c => Assert.Contains($"\"sub\":\"{clientId}\"", c.Body, StringComparison.Ordinal));
        Assert.All(calls, c => Assert.Contains(c.Fingerprint, acquired.Select(a => a.Fingerprint)));
    }

    /// <summary>Two consecutive calls with the same token.</summary>
    private static bool Reused(List<(string Status, string Fingerprint, string Body)> calls) =>
        calls.Zip(calls.Skip(1)).Any(pair => pair.First.Fingerprint == pair.Second.Fingerprint);

    private static List<(string Fingerprint, string Method, string ExpiresIn)> Acquired(string output) =>
        [.. AcquiredLine().Matches(output).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))];

    private static List<(string Status, string Fingerprint, string Body)> Calls(string output) =>
        [.. CalledLine().Matches(output).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))];

    [GeneratedRegex(@"Token ([0-9a-f]{12}) acquired \(([a-z_]+)\), expires in (\d+) s")]
    private static partial Regex AcquiredLine();

    [GeneratedRegex(@"Called \S+: (\d+) with token ([0-9a-f]{12}): (.*)")]
    private static partial Regex CalledLine();
}
