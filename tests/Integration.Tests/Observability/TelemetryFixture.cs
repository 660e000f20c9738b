using System.Collections;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AuthService.Infrastructure.Observability;
using AuthService.Integration.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace AuthService.Integration.Tests.Observability;

/// <summary>
/// A server with the sign-in fixtures, the Prometheus scrape endpoint on (as an operator turns it on) and the server's own
/// tracing set-up exporting into memory instead of OTLP (<see cref="ObservabilityRegistration.AddTracing"/>), plus a client
/// of its own (<see cref="ProbeClient"/>) whose id no other test server issues tokens to: meters and activity sources are
/// process-wide, so counts and spans of other servers in this test run can show up here too.
/// </summary>
public sealed class TelemetryFixture : SignInFixture
{
    /// <summary>
    /// The test classes whose servers export metrics run one after another: the gauges' meter belongs to its host, and a
    /// host disposed while another host's exporter collects would end that exporter's gauge streams.
    /// </summary>
    public const string Collection = "Telemetry";

    public const string ProbeClient = "otel-probe";
    public const string ProbeSecret = "otel-probe-secret-5b1d0c9e7a3f4e21";
    public const string Redirect = "https://otel-probe.example/cb";

    public SpanCollection Spans { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:Telemetry:Prometheus:Enabled"] = "true",
    };

    protected override Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices =>
        services => ObservabilityRegistration.AddTracing(services, new TelemetryOptions(), tracing => tracing.AddInMemoryExporter(Spans));

    protected override string SeedJson
    {
        get
        {
            var seed = SignInClients.SeedDocument();
            var client = TestClients.Client(ProbeClient, ProbeSecret, "client_secret_basic", ["authorization_code", "refresh_token", "client_credentials"],
                "openid offline_access api.read", redirectUris: [Redirect]);
            client["require_consent"] = false;
            seed["clients"]!.AsArray().Add((JsonNode)client);
            return seed.ToJsonString();
        }
    }
}

/// <summary>The exported spans; the exporter adds from the server's threads while a test reads.</summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item) => Snapshot().Contains(item);

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
