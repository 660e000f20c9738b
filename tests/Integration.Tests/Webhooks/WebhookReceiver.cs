using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>One POST the receiver got: its path, the three Standard Webhooks headers, the content type and the raw body.</summary>
public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string? ContentType, string Body);

/// <summary>
/// A webhook receiver on a loopback port (the shape of the back-channel logout tests' <c>LogoutReceiver</c>): records every
/// POST to any path, answers what <see cref="Answer"/> says for that path (200 unless told otherwise), and counts the
/// requests in flight per <c>webhook-id</c> so a test can tell whether one event was ever sent twice at the same moment.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private int _overlaps;

    public WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers;
            var received = new ReceivedWebhook(context.Request.Path.Value!, headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"],
                context.Request.ContentType, body);
            var id = received.Id ?? "";
            if (_inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref _overlaps);
            }

            try
            {
                Received.Enqueue(received);
                var answer = Answer.TryGetValue(received.Path, out var answerFor) ? answerFor(received) : StatusCodes.Status200OK;
                while (Hang.ContainsKey(received.Path) && !context.RequestAborted.IsCancellationRequested)
                {
                    await Task.Delay(50, CancellationToken.None);
                }

                // A body with a control character, so a test can see the excerpt is sanitized (204 has none).
                return answer == StatusCodes.Status204NoContent ? Results.StatusCode(answer) : Results.Text("receiver says " + answer + "\u0001", statusCode: answer);
            }
            finally
            {
                _inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            }
        });
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseUrl { get; }

    /// <summary>The status to answer per path (by the request); absent paths get 200.</summary>
    public ConcurrentDictionary<string, Func<ReceivedWebhook, int>> Answer { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths whose POSTs are recorded but not answered while listed.</summary>
    public ConcurrentDictionary<string, bool> Hang { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>How often a POST arrived while another of the same <c>webhook-id</c> was still being answered.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    /// <summary>A path no other test uses, and its URL.</summary>
    public (string Path, string Url) NewEndpoint(string name)
    {
        var path = $"/{name}-{Guid.NewGuid():N}";
        return (path, BaseUrl + path);
    }

    /// <summary>What arrived at <paramref name="path"/>, in arrival order.</summary>
    public List<ReceivedWebhook> At(string path) => [.. Received.Where(r => r.Path == path)];

    /// <summary>Waits until <paramref name="count"/> POSTs arrived at <paramref name="path"/>.</summary>
    public Task<List<ReceivedWebhook>> ReceivedAsync(string path, int count = 1) =>
        AuthService.Integration.Tests.Infrastructure.Poll.UntilAsync(() => Task.FromResult(At(path)), r => r.Count >= count, TimeSpan.FromSeconds(30),
            $"{count} webhook POSTs at {path}", r => string.Join("\n", r.Select(x => x.Body)));

    /// <summary>Answers 503 to the first <paramref name="failures"/> requests at <paramref name="path"/>, then 204.</summary>
    public void FailFirst(string path, int failures)
    {
        var count = 0;
        Answer[path] = _ => Interlocked.Increment(ref count) <= failures ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status204NoContent;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
