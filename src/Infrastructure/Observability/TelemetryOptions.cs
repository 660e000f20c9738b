namespace AuthService.Infrastructure.Observability;

/// <summary>
/// <c>Auth:Telemetry</c> (docs/adr/0042, docs/operations.md "Observability"). Everything is off by default: traces and
/// metrics go out over OTLP only when <see cref="OtlpSettings.Endpoint"/> is set, and the Prometheus scrape endpoint
/// exists only when <see cref="PrometheusSettings.Enabled"/> is true. Off, no OpenTelemetry provider is built, so the
/// meters and the activity source have no listener and cost a flag check per call.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Auth:Telemetry";

    /// <summary><c>service.name</c> of the resource every span and metric carries.</summary>
    public string ServiceName { get; set; } = "authservice";

    public OtlpSettings Otlp { get; set; } = new();

    public PrometheusSettings Prometheus { get; set; } = new();

    /// <summary>Share of new traces kept (parent-based: a request that arrives sampled by its caller stays sampled), 0 to 1.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    public bool OtlpEnabled => !string.IsNullOrWhiteSpace(Otlp.Endpoint);

    public bool MetricsEnabled => OtlpEnabled || Prometheus.Enabled;

    /// <summary>Why the settings cannot be used, or null.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            return "ServiceName must not be empty.";
        }

        if (OtlpEnabled && !(Uri.TryCreate(Otlp.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            return "Otlp:Endpoint must be an absolute http(s) URL, e.g. http://otel-collector:4317.";
        }

        if (Otlp.Protocol is not (OtlpSettings.Grpc or OtlpSettings.HttpProtobuf))
        {
            return $"Otlp:Protocol must be {OtlpSettings.Grpc} or {OtlpSettings.HttpProtobuf}.";
        }

        if (Otlp.MetricExportIntervalSeconds is < 1 or > 3_600)
        {
            return "Otlp:MetricExportIntervalSeconds must be between 1 and 3600.";
        }

        if (Prometheus.Path is not { Length: > 1 } path || path[0] != '/' || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            return "Prometheus:Path must be an absolute path such as /metrics.";
        }

        if (Prometheus.Port is { } port && port is < 1 or > 65_535)
        {
            return "Prometheus:Port must be between 1 and 65535.";
        }

        return TraceSampleRatio is >= 0 and <= 1 ? null : "TraceSampleRatio must be between 0 and 1.";
    }

    public sealed class OtlpSettings
    {
        public const string Grpc = "grpc";
        public const string HttpProtobuf = "http/protobuf";

        /// <summary>The collector's base URL (gRPC: <c>http://collector:4317</c>; http/protobuf: <c>http://collector:4318</c>, the <c>/v1/traces</c> and <c>/v1/metrics</c> paths are appended).</summary>
        public string? Endpoint { get; set; }

        public string Protocol { get; set; } = Grpc;

        /// <summary>How often metrics are pushed over OTLP.</summary>
        public int MetricExportIntervalSeconds { get; set; } = 60;
    }

    public sealed class PrometheusSettings
    {
        public bool Enabled { get; set; }

        public string Path { get; set; } = "/metrics";

        /// <summary>
        /// When set, the scrape path answers only requests that arrived on a listener of this local port (add it to
        /// <c>--urls</c>, keep it off the load balancer); on every other port it is a 404. Compared with the connection's
        /// local port, never the Host header, which the caller chooses.
        /// </summary>
        public int? Port { get; set; }
    }
}
