using System.Reflection;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AuthService.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry for AuthService (docs/adr/0042): off unless <c>Auth:Telemetry</c> turns an exporter on. Metrics: AuthService's
/// own meter, ASP.NET Core's (request duration), HttpClient's, the runtime's and Npgsql's (time per database command,
/// connection pool); exported over OTLP and/or served to Prometheus. Traces: the request span (ASP.NET Core), a span per
/// use case (<see cref="MediatorTracingBehaviour{TRequest,TResponse}"/>) and the SQL (Npgsql), over OTLP. Nothing that
/// carries a secret becomes an attribute: no query string, no body, no header, no SQL parameter value.
/// </summary>
public static class ObservabilityRegistration
{
    /// <summary>Probes and the scrape itself are not traced: they would be most of the spans and tell nothing.</summary>
    private static readonly PathString[] UntracedPaths = [new("/healthz"), new("/readyz")];

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        services.AddOptions<TelemetryOptions>()
            .Bind(section)
            .Validate(o => o.Problem() is null, "Auth:Telemetry is invalid: " + (section.Get<TelemetryOptions>()?.Problem() ?? "see docs/operations.md"))
            .ValidateOnStart();

        // Always registered: the token endpoint, the audit trail and the jobs record into it; with no provider listening
        // each recording is one flag check.
        services.AddSingleton<AuthServiceMetrics>();

        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Problem() is not null || !options.MetricsEnabled)
        {
            return services; // invalid settings refuse the start (ValidateOnStart above)
        }

        services.AddMetrics();
        services.AddSingleton<StoreGauges>(); // made by the meter provider, below: off, the database is never read for gauges
        services.AddOpenTelemetry()
            .ConfigureResource(resource => Describe(resource, options))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AuthServiceTelemetry.Name)
                    .AddInstrumentation(provider => provider.GetRequiredService<StoreGauges>())
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (options.OtlpEnabled)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        UseCollector(exporter, options.Otlp, "/v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.Otlp.MetricExportIntervalSeconds * 1000;
                    });
                }

                if (options.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeEndpointPath = options.Prometheus.Path);
                }
            });

        if (options.OtlpEnabled)
        {
            AddTracing(services, options, tracing => tracing.AddOtlpExporter(exporter => UseCollector(exporter, options.Otlp, "/v1/traces")));
        }

        return services;
    }

    /// <summary>
    /// Turns tracing on with <paramref name="exporters"/>: the server does it for OTLP; a test does it with an in-memory
    /// exporter, so it sees exactly the spans and attributes the server exports. Puts the use-case span outermost in the
    /// MediatR pipeline (before logging and validation, whose time it then includes).
    /// </summary>
    public static IServiceCollection AddTracing(IServiceCollection services, TelemetryOptions options, Action<TracerProviderBuilder> exporters)
    {
        var behaviour = typeof(MediatorTracingBehaviour<,>);
        if (!services.Any(d => d.ImplementationType == behaviour))
        {
            var first = services.ToList().FindIndex(d => d.ServiceType == typeof(IPipelineBehavior<,>));
            services.Insert(first < 0 ? services.Count : first, ServiceDescriptor.Transient(typeof(IPipelineBehavior<,>), behaviour));
        }

        var scrapePath = options.Prometheus.Enabled ? new PathString(options.Prometheus.Path) : (PathString?)null;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => Describe(resource, options))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                    .AddSource(AuthServiceTelemetry.Name)
                    .AddAspNetCoreInstrumentation(aspNetCore =>
                    {
                        aspNetCore.Filter = http => !UntracedPaths.Contains(http.Request.Path) && http.Request.Path != scrapePath;
                        aspNetCore.RecordException = false;

                        // The query string carries codes, tokens, state and e-mail link secrets: dropped, not merely redacted.
                        aspNetCore.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                    })
                    .AddHttpClientInstrumentation(http =>
                    {
                        http.RecordException = false;

                        // Outbound calls (jwks_uri, webhooks, upstream providers): the URL without query, fragment or user info.
                        http.EnrichWithHttpRequestMessage = (activity, request) =>
                        {
                            if (request.RequestUri is { IsAbsoluteUri: true } uri)
                            {
                                activity.SetTag("url.full", uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
                            }

                            activity.SetTag("url.query", null);
                        };
                    })
                    // Npgsql records the SQL text with its $1 placeholders, never the parameter values.
                    .AddNpgsql();
                exporters(tracing);
            });
        return services;
    }

    /// <summary>
    /// The Prometheus scrape endpoint, when <c>Auth:Telemetry:Prometheus:Enabled</c>: at <c>Prometheus:Path</c>, and with
    /// <c>Prometheus:Port</c> only for connections to that local port. Called before the issuer's path base is applied.
    /// </summary>
    public static IApplicationBuilder UseTelemetryScrapeEndpoint(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        if (!options.Prometheus.Enabled)
        {
            return app;
        }

        var path = new PathString(options.Prometheus.Path);
        var port = options.Prometheus.Port;
        return app.UseOpenTelemetryPrometheusScrapingEndpoint(http =>
            http.Request.Path == path && HttpMethods.IsGet(http.Request.Method) && (port is null || http.Connection.LocalPort == port));
    }

    private static void Describe(ResourceBuilder resource, TelemetryOptions options) =>
        resource.AddService(
            options.ServiceName,
            serviceVersion: typeof(ObservabilityRegistration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            autoGenerateServiceInstanceId: true);

    /// <summary>gRPC takes the collector's address as is; http/protobuf wants each signal's path after it (OTLP/HTTP §"Request").</summary>
    private static void UseCollector(OtlpExporterOptions exporter, TelemetryOptions.OtlpSettings otlp, string signalPath)
    {
        var endpoint = otlp.Endpoint!.TrimEnd('/');
        if (otlp.Protocol == TelemetryOptions.OtlpSettings.HttpProtobuf)
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint + signalPath);
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = new Uri(endpoint);
        }
    }
}
