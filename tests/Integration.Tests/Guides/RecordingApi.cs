using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// A service behind a sample (the API a gateway forwards to, or the one a BFF calls): an <see cref="HttpListener"/> on
/// <c>http://127.0.0.1:PORT/</c> that records every request's method, path and headers, and answers 200 with
/// <c>{"path": ...}</c>. The test sees exactly what the sample sent on, the token included.
/// </summary>
public sealed class RecordingApi : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private RecordingApi(HttpListener listener, int port)
    {
        _listener = listener;
        Address = new Uri($"http://127.0.0.1:{port}/");
        _ = Task.Run(AcceptAsync);
    }

    public Uri Address { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static RecordingApi Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new RecordingApi(listener, port);
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(name => name, name => context.Request.Headers.GetValues(name) ?? [], StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers));
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { path = context.Request.Url!.AbsolutePath }));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}

/// <summary>One request as the service behind the sample received it.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string[]> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;

    /// <summary>The bearer token of the Authorization header, or null.</summary>
    public string? BearerToken => Header("Authorization") is { } value && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : null;
}
