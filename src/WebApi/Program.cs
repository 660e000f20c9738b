using AuthService.Application;
using AuthService.Infrastructure;
using AuthService.Infrastructure.Hosting;
using AuthService.WebApi;
using AuthService.WebApi.Commands;
using AuthService.WebApi.Endpoints;
using AuthService.WebApi.Endpoints.Protocol;

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
});
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration, builder.Environment)
    .AddWebApi();

var app = builder.Build();
if (migrateOnly)
{
    await AuthServerInitializer.MigrateAsync(app.Services, CancellationToken.None);
    return 0;
}

app.UseAuthServer();
app.MapTokenEndpoint();
app.MapIntrospectionEndpoints();
app.MapDiscoveryEndpoints();
app.MapHealthEndpoints();
await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
