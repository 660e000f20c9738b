using System.Net;
using AuthService.Infrastructure.Observability;
using AuthService.Integration.Tests.Infrastructure;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AuthService.Integration.Tests.Observability;

/// <summary>
/// docs/adr/0042 "Off by default": with no <c>Auth:Telemetry</c> settings nothing of OpenTelemetry is built and the MediatR
/// pipeline has no tracing behaviour; the settings turn on exactly what they name.
/// </summary>
[Collection(TelemetryFixture.Collection)]
public sealed class TelemetrySettingsTests
{
    [Fact]
    public void Without_settings_no_provider_and_no_tracing_behaviour_is_registered()
    {
        var services = Register([]);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(MeterProvider) || d.ServiceType == typeof(TracerProvider));
        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(MediatorTracingBehaviour<,>));
        Assert.Contains(services, d => d.ServiceType == typeof(AuthServiceMetrics)); // recording points stay, with nothing listening
    }

    [Fact]
    public void Prometheus_alone_builds_metrics_but_no_tracing()
    {
        var services = Register(new() { ["Auth:Telemetry:Prometheus:Enabled"] = "true" });

        Assert.Contains(services, d => d.ServiceType == typeof(MeterProvider));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(TracerProvider));
        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(MediatorTracingBehaviour<,>));
    }

    [Fact]
    public void An_otlp_endpoint_builds_both_and_puts_the_use_case_span_outermost()
    {
        var services = new ServiceCollection();
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(Application.Common.Behaviours.LoggingBehaviour<,>));
        services.AddObservability(Configuration(new() { ["Auth:Telemetry:Otlp:Endpoint"] = "http://collector.invalid:4317" }));

        Assert.Contains(services, d => d.ServiceType == typeof(MeterProvider));
        Assert.Contains(services, d => d.ServiceType == typeof(TracerProvider));
        var behaviours = services.Where(d => d.ServiceType == typeof(IPipelineBehavior<,>)).Select(d => d.ImplementationType).ToList();
        Assert.Equal([typeof(MediatorTracingBehaviour<,>), typeof(Application.Common.Behaviours.LoggingBehaviour<,>)], behaviours);
    }

    [Theory]
    [InlineData("Otlp:Endpoint", "collector:4317")]
    [InlineData("Otlp:Endpoint", "ftp://collector:4317")]
    [InlineData("Otlp:Protocol", "http/json")]
    [InlineData("Otlp:MetricExportIntervalSeconds", "0")]
    [InlineData("Prometheus:Path", "metrics")]
    [InlineData("Prometheus:Path", "/metrics?x=1")]
    [InlineData("Prometheus:Port", "70000")]
    [InlineData("TraceSampleRatio", "1.5")]
    [InlineData("ServiceName", " ")]
    public void Invalid_settings_are_named(string key, string value)
    {
        var options = Configuration(new() { [$"Auth:Telemetry:{key}"] = value }).GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>()!;

        Assert.NotNull(options.Problem());
    }

    [Fact]
    public async Task With_a_scrape_port_the_endpoint_is_not_served_on_any_other_port()
    {
        await using var fixture = new PortFixture();
        await fixture.InitializeAsync();

        // The in-memory test server's connections have local port 0, never 9464: the application port does not serve metrics.
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/metrics")).StatusCode);
        Assert.NotNull(fixture.Factory.Services.GetService<MeterProvider>());
    }

    private static ServiceCollection Register(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddObservability(Configuration(settings));
        return services;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private sealed class PortFixture : AuthServerFixture, IAsyncDisposable
    {
        protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
        {
            ["Auth:Telemetry:Prometheus:Enabled"] = "true",
            ["Auth:Telemetry:Prometheus:Port"] = "9464",
        };

        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }
}
