using Microsoft.Extensions.Hosting;

namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// Runs <see cref="AuthServerInitializer"/> in the host's "starting" phase, which completes before any
/// hosted service (the web server included) starts: no request is served before keys and seed are in place.
/// </summary>
internal sealed class AuthServerInitializerService(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => AuthServerInitializer.InitializeAsync(services, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
