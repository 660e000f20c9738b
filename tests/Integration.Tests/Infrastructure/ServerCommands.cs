using MediatR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>Application commands sent inside a running server, as its scheduled jobs send them.</summary>
public static class ServerCommands
{
    /// <summary>Sends <paramref name="request"/> through the server's <see cref="IMediator"/> in a scope of its own (as a Hangfire job does).</summary>
    public static async Task<T> SendAsync<T>(this WebApplicationFactory<Program> factory, IRequest<T> request)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}
