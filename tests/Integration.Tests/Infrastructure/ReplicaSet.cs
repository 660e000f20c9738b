using System.Net;
using System.Text.Json;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>One server process of a <see cref="ReplicaSet"/>, and an HTTP client that talks to it directly.</summary>
public sealed record Replica(string Name, ServerProcess Process, Uri BaseAddress, HttpClient Client)
{
    public override string ToString() => $"{Name} ({BaseAddress})";
}

/// <summary>
/// Several built servers (<c>dotnet AuthService.WebApi.dll</c>), each its own OS process on its own port,
/// sharing one database, one issuer, one key-encryption key and one seed file, as docs/operations.md
/// tells an operator to run replicas. Short propagation bounds by default (key ring refresh and client
/// cache 1 s, JWKS cache 3 s) so cross-replica effects are observable within a test. Disposing kills
/// every process this set ever started, including those already killed or replaced.
/// </summary>
public sealed class ReplicaSet : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _directory = new();
    private readonly string _connectionString;
    private readonly Dictionary<string, string> _settings;
    private readonly List<ServerProcess> _processes = [];
    private readonly List<HttpClient> _clients = [];

    /// <summary>
    /// Safety net: the ids of the servers started and not yet disposed. If the test host exits without
    /// disposing (an aborted run), they are killed on the way out instead of being left running.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> Live = new();

    static ReplicaSet()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var id in Live.Keys)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(id);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
            }
        };
    }

    public ReplicaSet(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        _connectionString = connectionString;
        SeedFile = _directory.WriteFile("seed.json", TestClients.SeedJson());
        _settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Auth__Issuer"] = TestClients.Issuer,
            ["Auth__KeyEncryptionKey"] = TestClients.KeyEncryptionKey,
            ["Auth__KeyRingRefreshSeconds"] = "1",
            ["Auth__ClientCacheSeconds"] = "1",
            ["Auth__JwksCacheSeconds"] = "3",

            // Timestamped log lines (UTC), so that a failure's output shows what happened when.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    public string SeedFile { get; }

    /// <summary>Every process started so far, alive or not.</summary>
    public IReadOnlyList<ServerProcess> Processes
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>
    /// Starts one replica and waits until <c>/readyz</c> answers 200. A port taken between the free-port
    /// probe and Kestrel's bind (other tests start servers too) is retried on another port.
    /// </summary>
    public async Task<Replica> StartAsync(string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            var environment = new Dictionary<string, string>(_settings, StringComparer.Ordinal)
            {
                ["ConnectionStrings__AuthDb"] = _connectionString,
                ["Auth__SeedFile"] = SeedFile,
                ["Auth__DataDirectory"] = Directory.CreateDirectory(_directory.Combine($"data-{name}-{attempt}")).FullName,
            };
            var process = ServerProcess.Start(["--urls", $"http://127.0.0.1:{port}"], environment);
            lock (_processes)
            {
                _processes.Add(process);
            }

            Live.TryAdd(process.Id, 0);

            var failure = await WaitUntilReadyAsync(process, baseAddress);
            if (failure is null)
            {
                var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
                lock (_clients)
                {
                    _clients.Add(client);
                }

                return new Replica(name, process, baseAddress, client);
            }

            if (attempt < 3 && process.HasExited && process.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Assert.Fail($"Replica {name} on {baseAddress} did not become ready: {failure}. Output:\n{process.Output}");
        }
    }

    /// <summary>Starts the named replicas at the same time (as a simultaneous roll-out does).</summary>
    public async Task<Replica[]> StartAsync(params string[] names) => await Task.WhenAll(names.Select(StartAsync));

    /// <summary>SIGKILLs a replica (whole process tree) and waits until it is gone.</summary>
    public static async Task KillAsync(Replica replica)
    {
        await replica.Process.KillAsync(TimeSpan.FromSeconds(15));
        Assert.True(replica.Process.HasExited, $"{replica} is still running after SIGKILL");
    }

    /// <summary>The captured stdout and stderr of every process started so far.</summary>
    public string AllOutput => string.Join("\n", Processes.Select((p, i) => $"--- process {i} (pid {p.Id}) ---\n{p.Output}"));

    /// <summary>
    /// ASVS 16.2.5: no client secret, no access token (nor its signature alone) and not the key-encryption key
    /// in the output of any process of this set. The output must not be empty, or the check proves nothing.
    /// </summary>
    public void AssertNoSecretsInOutput(IEnumerable<string> accessTokens)
    {
        var secrets = new List<(string Label, string Value)>
        {
            ("C1 secret", TestClients.C1Secret),
            ("C2 secret", TestClients.C2Secret),
            ("CP secret", TestClients.CPSecret),
            ("CA secret", TestClients.CASecret),
            ("CX secret", TestClients.CXSecret),
            ("key-encryption key", TestClients.KeyEncryptionKey),
        };
        foreach (var token in accessTokens.Distinct(StringComparer.Ordinal))
        {
            secrets.Add(("access token", token));
            secrets.Add(("access-token signature", token.Split('.')[2]));
        }

        foreach (var (process, index) in Processes.Select((p, i) => (p, i)))
        {
            var output = process.Output;
            Assert.False(string.IsNullOrWhiteSpace(output), $"Process {index} wrote nothing: the log capture does not work");
            foreach (var (label, value) in secrets)
            {
                Assert.False(output.Contains(value, StringComparison.Ordinal), $"The output of process {index} (pid {process.Id}) contains a {label}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        // Killed in parallel: each waits up to 10 s for its process to go.
        var processes = Processes;
        var ids = processes.Select(p => p.Id).ToList();
        await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));
        foreach (var id in ids)
        {
            Live.TryRemove(id, out _);
        }

        _directory.Dispose();
    }

    private static async Task<string?> WaitUntilReadyAsync(ServerProcess process, Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                return "the process exited";
            }

            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return null;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        return $"not ready within {StartTimeout.TotalSeconds} s (last: {last})";
    }
}

/// <summary>What one replica publishes and signs with, read over HTTP.</summary>
public static class ReplicaProbe
{
    /// <summary>The JWKS as served (raw text).</summary>
    public static async Task<string> JwksAsync(this Replica replica)
    {
        using var response = await replica.Client.GetAsync("/.well-known/jwks.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{replica}: JWKS answered {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>The key ids in a JWKS document, sorted.</summary>
    public static string[] KeyIds(string jwks) =>
        [.. JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>The <c>kid</c> in the header of a JWT.</summary>
    public static string KeyId(string token) => AccessTokens.Read(token).Kid;
}
