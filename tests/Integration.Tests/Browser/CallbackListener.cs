using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The client's redirect target: an <see cref="HttpListener"/> on <c>http://127.0.0.1:PORT/</c> that answers
/// every request with a small page and records the URL it was asked for. Chromium lands here at the end of
/// an authorization, so the test sees the authorization response exactly as the client would.
/// </summary>
public sealed class CallbackListener : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentQueue<Uri> _requests = new();

    private CallbackListener(HttpListener listener, int port)
    {
        _listener = listener;
        Port = port;
        RedirectUri = $"http://127.0.0.1:{port}/cb";
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>The redirect URI registered for the client: <c>http://127.0.0.1:PORT/cb</c>.</summary>
    public string RedirectUri { get; }

    /// <summary>Every URL requested so far, in order (a browser's /favicon.ico left out).</summary>
    public IReadOnlyList<Uri> Requests => [.. _requests.Where(u => u.AbsolutePath != "/favicon.ico")];

    /// <summary>Listens on a free port (retried if another process takes it between the probe and the bind).</summary>
    public static CallbackListener Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Infrastructure.ServerProcess.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new CallbackListener(listener, port);
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
                return; // stopped
            }

            try
            {
                if (context.Request.Url is { } url)
                {
                    _requests.Enqueue(url);
                }

                var body = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>Client callback</title></head><body><p>Callback received.</p></body></html>");
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The browser went away mid-answer: nothing to record.
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
