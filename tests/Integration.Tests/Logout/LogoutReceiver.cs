using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthService.Integration.Tests.Logout;

/// <summary>One POST the receiver got: its content type and form fields.</summary>
public sealed record ReceivedLogout(string? ContentType, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A relying party's back-channel logout endpoint (Back-Channel Logout 1.0 §2.5) on a loopback port: records every
/// POST and answers 200, or 503 while <see cref="Down"/> (an outage), or not at all while <see cref="Hang"/>.
/// </summary>
public sealed class LogoutReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public LogoutReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/backchannel-logout", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            Received.Enqueue(new ReceivedLogout(context.Request.ContentType, form.ToDictionary(f => f.Key, f => f.Value.ToString())));
            while (Hang && !context.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
            }

            return Down ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
        });
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Uri = address.TrimEnd('/') + "/backchannel-logout";
    }

    public string Uri { get; }

    public volatile bool Down;

    /// <summary>While set, a POST is recorded but not answered (until the sender gives up or is gone).</summary>
    public volatile bool Hang;

    public ConcurrentQueue<ReceivedLogout> Received { get; } = new();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
