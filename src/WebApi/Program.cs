using AuthService.Application;
using AuthService.Infrastructure;
using AuthService.Infrastructure.Hosting;
using AuthService.Infrastructure.Observability;
using AuthService.WebApi;
using AuthService.WebApi.Commands;
using AuthService.WebApi.Endpoints;
using AuthService.WebApi.Endpoints.Admin;
using AuthService.WebApi.Endpoints.Interaction;
using AuthService.WebApi.Endpoints.Protocol;
using AuthService.WebApi.Middleware;

// `healthcheck`: probe a running server; `migrate`: apply database migrations and exit.
if (args is ["healthcheck", ..])
{
    return await HealthCheckCommand.RunAsync();
}

var migrateOnly = args is ["migrate", ..];
var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : args);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
    AuthService.WebApi.MutualTls.MutualTlsListener.Configure(kestrel, builder.Configuration);
});
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration, builder.Environment)
    .AddWebApi();

var app = builder.Build();
try
{
    if (migrateOnly)
    {
        await AuthServerInitializer.MigrateAsync(app.Services, CancellationToken.None);
        return 0;
    }

    app.UseForwardedClientAddress(); // first: everything after sees the client behind a trusted proxy (docs/adr/0045)
    app.UseTelemetryScrapeEndpoint(); // Prometheus, when Auth:Telemetry:Prometheus:Enabled (docs/operations.md "Observability")
    app.UseAuthServer();
    app.MapAuthorizationEndpoints();
    app.MapTokenEndpoint();
    app.MapUserInfoEndpoint();
    app.MapEndSessionEndpoint();
    app.MapIntrospectionEndpoint();
    app.MapPushedAuthorizationEndpoint();
    app.MapDeviceAuthorizationEndpoint();
    app.MapDeviceVerificationEndpoints();
    app.MapAccountEndpoints();
    app.MapAccountAppEndpoints();
    app.MapEmailEndpoints();
    app.MapTenantInvitationEndpoints();
    app.MapSignUpEndpoints();
    app.MapAccountSecurityEndpoints();
    app.MapPasskeyEndpoints();
    app.MapFederationEndpoints();
    app.MapRevocationEndpoint();
    app.MapRegistrationEndpoints();
    app.MapDiscoveryEndpoints();
    app.MapHealthEndpoints();
    app.MapAdminApi();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    // A refused start (invalid settings, wrong key-encryption key, bad seed, no database) ends with exit
    // code 1 and one line naming the cause, instead of an abort. The host has already logged the details;
    // none of our messages carries a secret.
    await Console.Error.WriteLineAsync($"AuthService did not start: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

/// <summary>Exposed for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
