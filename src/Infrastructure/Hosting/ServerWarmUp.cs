using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Infrastructure.Caching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// Marks a request the server sent itself during its warm-up. Set only in process (<see cref="ServerWarmUp"/>), never from
/// anything a request carries, so no caller can claim it; what counts real traffic (the token metrics) skips such requests.
/// </summary>
public sealed class WarmUpRequestFeature
{
    internal static readonly WarmUpRequestFeature Instance = new();

    private WarmUpRequestFeature()
    {
    }

    public static bool IsWarmUp(HttpContext http) => http.Features.Get<WarmUpRequestFeature>() is not null;
}

/// <summary>
/// The warm-up before readiness (docs/adr/0044). Once the host has started (migrations, keys and seed done, the server
/// listening), it sends the application's own request pipeline, in process, the requests a replica's first seconds are
/// made of (client credentials with client_secret_basic, discovery, JWKS) until the JIT has settled: tiered compilation,
/// with dynamic PGO, has promoted the hot methods and nothing new is compiled. Only then does <c>/readyz</c> answer 200.
/// <para>
/// Nothing persists: the client is built in memory with a random id and secret, held in the client cache for the
/// warm-up only and never stored; a confidential client's token budget is its own, so no real budget is spent; the
/// client-credentials grant writes nothing; the requests bypass the host's request metrics and traces (they never
/// pass through the server), and the token endpoint does not count them. The warm-up is bounded by
/// <see cref="WarmUpOptions.MaxDuration"/>, and whatever happens to it the server turns ready (a failure is a warning).
/// </para>
/// </summary>
internal sealed partial class ServerWarmUp(
    IOptions<WarmUpOptions> options,
    IHttpContextFactory contexts,
    ClientCatalog catalog,
    IIssuerProvider issuer,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ServerWarmUp> logger) : IHostedService, IStartupFilter, IWarmUpState
{
    /// <summary>How often the JIT's compiled-method count is sampled, and how few new methods per sample count as settled.</summary>
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    private const int SettledMethodsPerSample = 2;

    /// <summary>Consecutive quiet samples before the warm-up ends: one second with (almost) nothing compiled.</summary>
    private const int SettledSamples = 4;

    /// <summary>Discovery and JWKS requests are sent once per this many token requests.</summary>
    private const int TokenRequestsPerMetadataRequest = 8;

    // Never disposed: the host may stop twice at once (RunAsync's own stop and its caller's), and a source without a
    // timer holds nothing to free.
    private readonly CancellationTokenSource _stopping = new();
    private RequestDelegate? _pipeline;
    private Task? _run;
    private volatile bool _ready;

    /// <summary>
    /// Captures the application's request pipeline, to send it requests in process: everything Program.cs builds (the
    /// framework's own start-up filters registered earlier, such as host filtering, stay outside it).
    /// </summary>
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(rest =>
        {
            _pipeline = rest;
            return rest;
        });
        next(app);
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            _ready = true;
            return Task.CompletedTask;
        }

        // ApplicationStarted: every hosted service has started, the web server included, so the issuer is known.
        lifetime.ApplicationStarted.Register(() => _run = Task.Run(() => RunAsync(_stopping.Token)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_run is { } run)
        {
            await run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public bool IsWarm => _ready;

    private async Task RunAsync(CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        var compiledBefore = JitInfo.GetCompiledMethodCount();
        var client = WarmUpClient.Create(clock.GetUtcNow());
        var requests = 0L;
        var outcome = "the JIT settled";
        catalog.Hold(client.Snapshot);
        try
        {
            var pipeline = _pipeline ?? throw new InvalidOperationException("The request pipeline was not built.");
            using var window = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            window.CancelAfter(options.Value.MaxDuration);
            var target = new Uri(issuer.Issuer);
            // Half the cores drive requests; the rest are left to the JIT's background compilation, which is what is waited for.
            var workers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount / 2))
                .Select(_ => Task.Run(() => DriveAsync(pipeline, target, client, () => Interlocked.Increment(ref requests), window), CancellationToken.None))
                .ToArray();
            bool settled;
            try
            {
                settled = await WaitUntilSettledAsync(workers, window.Token);
            }
            finally
            {
                // Every worker stops before the client is released and readiness turns on, whatever ended the wait.
                await window.CancelAsync();
                await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (!settled)
            {
                outcome = stopping.IsCancellationRequested ? "the host stopped" : "the maximum duration passed";
            }
        }
        catch (Exception ex)
        {
            outcome = "it failed";
            LogFailed(logger, ex.GetType().Name, ex.Message);
        }
        finally
        {
            catalog.Release(client.Snapshot.ClientId);
            _ready = true;
        }

        LogFinished(logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, Interlocked.Read(ref requests),
            JitInfo.GetCompiledMethodCount() - compiledBefore, outcome);
    }

    /// <summary>
    /// True once <see cref="SettledSamples"/> samples in a row saw at most <see cref="SettledMethodsPerSample"/> new methods
    /// compiled (tier 0, the instrumented tier and tier 1 all count); false when the window ended first. The first
    /// worker that fails ends the wait with its exception.
    /// </summary>
    private static async Task<bool> WaitUntilSettledAsync(Task[] workers, CancellationToken window)
    {
        var quiet = 0;
        var last = JitInfo.GetCompiledMethodCount();
        var anyWorker = Task.WhenAny(workers); // a worker ends only when it fails or the window closes
        while (!window.IsCancellationRequested)
        {
            var tick = Task.Delay(SampleInterval, CancellationToken.None);
            if (await Task.WhenAny(tick, anyWorker) == anyWorker)
            {
                await await anyWorker; // rethrows the worker's failure
                return false;
            }

            var now = JitInfo.GetCompiledMethodCount();
            quiet = now - last <= SettledMethodsPerSample ? quiet + 1 : 0;
            last = now;
            if (quiet >= SettledSamples)
            {
                return true;
            }
        }

        return false;
    }

    private async Task DriveAsync(RequestDelegate pipeline, Uri target, WarmUpClient client, Action counted, CancellationTokenSource window)
    {
        for (var i = 0; !window.IsCancellationRequested; i++)
        {
            await SendAsync(pipeline, target, client.TokenRequest(), StatusCodes.Status200OK, window.Token);
            counted();
            if (i % TokenRequestsPerMetadataRequest == 0)
            {
                await SendAsync(pipeline, target, WarmUpRequest.Get(ProtocolEndpoints.OpenIdConfiguration), StatusCodes.Status200OK, window.Token);
                await SendAsync(pipeline, target, WarmUpRequest.Get(ProtocolEndpoints.Jwks), StatusCodes.Status200OK, window.Token);
                counted();
                counted();
            }
        }
    }

    /// <summary>Runs one request through the pipeline as the server would (a context from the host's factory, its own scope).</summary>
    private async Task SendAsync(RequestDelegate pipeline, Uri target, WarmUpRequest request, int expected, CancellationToken cancellationToken)
    {
        var headers = new HeaderDictionary { ["Host"] = target.Authority };
        foreach (var (name, value) in request.Headers)
        {
            headers[name] = value;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Method = request.Method,
            Scheme = target.Scheme,
            Path = request.Path,
            Headers = headers,
            Body = new MemoryStream(request.Body, writable: false),
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = "warm-up",
            RemoteIpAddress = IPAddress.Loopback,
            LocalIpAddress = IPAddress.Loopback,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set(WarmUpRequestFeature.Instance);

        var http = contexts.Create(features);
        try
        {
            await pipeline(http);
            // A request the closing window cut short (499) says nothing about the server.
            if (http.Response.StatusCode != expected && !cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{request.Method} {request.Path} answered {http.Response.StatusCode}.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The window closed during the request.
        }
        finally
        {
            contexts.Dispose(http);
        }
    }

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information,
        Message = "Warm-up done in {ElapsedMs} ms ({Requests} requests in process, {Methods} methods compiled), {Outcome}; the server is ready")]
    private static partial void LogFinished(ILogger logger, long elapsedMs, long requests, long methods, string outcome);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning,
        Message = "Warm-up failed ({Error}: {Message}); the server turns ready without it")]
    private static partial void LogFailed(ILogger logger, string error, string message);

    /// <summary>One request of the warm-up: its method, path, headers and form body.</summary>
    private sealed record WarmUpRequest(string Method, string Path, (string Name, string Value)[] Headers, byte[] Body)
    {
        public static WarmUpRequest Get(string path) => new(HttpMethods.Get, path, [], []);
    }

    /// <summary>
    /// A confidential client-credentials client that lives in this process only: a random id and a 256-bit random secret,
    /// so nobody outside could present it even while it is held, and a token budget of its own far above the warm-up's rate.
    /// </summary>
    private sealed class WarmUpClient
    {
        private const string Scope = "warm-up";

        private static readonly byte[] FormBody = Encoding.ASCII.GetBytes($"{OAuthParameters.GrantType}={GrantTypes.ClientCredentials}&{OAuthParameters.Scope}={Scope}");

        private readonly WarmUpRequest _token;

        private WarmUpClient(ClientSnapshot snapshot, string secret)
        {
            Snapshot = snapshot;
            // RFC 6749 §2.3.1: client_secret_basic, the id and secret form-urlencoded, then Base64.
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(snapshot.ClientId)}:{Uri.EscapeDataString(secret)}"));
            _token = new WarmUpRequest(HttpMethods.Post, ProtocolEndpoints.Token,
                [("Authorization", "Basic " + basic), ("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", FormBody.Length.ToString(CultureInfo.InvariantCulture))],
                FormBody);
        }

        public ClientSnapshot Snapshot { get; }

        public WarmUpRequest TokenRequest() => _token;

        public static WarmUpClient Create(DateTimeOffset now)
        {
            var clientId = "warm-up-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var settings = new ClientSettings("Warm-up (in memory)", TokenEndpointAuthMethods.ClientSecretBasic, [], [], [GrantTypes.ClientCredentials],
                [Scope], TimeSpan.FromMinutes(5), Audience: null)
            {
                RequireConsent = false,
                TokenRateLimit = ClientSettings.MaxTokenRateLimit,
            };
            return new WarmUpClient(ClientSnapshot.From(Client.Register(clientId, settings, SecretHash.Compute(secret), now)), secret);
        }
    }
}
