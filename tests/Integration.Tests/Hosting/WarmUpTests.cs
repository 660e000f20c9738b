using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using AuthService.Infrastructure.Hosting;
using AuthService.Infrastructure.Observability;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthService.Integration.Tests.Hosting;

/// <summary>
/// The warm-up before readiness (docs/adr/0044): <c>/readyz</c> waits for it while <c>/healthz</c> does not, it leaves
/// nothing behind (no row, no counted token, no usable client), a failure of it never keeps the server from turning
/// ready, and <c>Auth:WarmUp:Enabled=false</c> turns it off. A test middleware inside the pipeline holds the warm-up's
/// requests at a gate, so each state is observed when the test decides, never by timing.
/// </summary>
public sealed class WarmUpTests
{
    [Fact]
    public async Task Readiness_waits_for_the_warm_up_which_writes_counts_and_leaves_nothing()
    {
        var gate = new WarmUpGate();
        using var issued = new IssuedTokens();
        var errors = new ErrorEntries();
        await using var server = await WarmUpServer.StartAsync(gate, enabled: true, errors);

        // Keys and seed are in place, the warm-up has sent its first request and waits at the gate. A probe meanwhile is a
        // 503, and no error entry: warming up is expected, not a failed health check (docs/adr/0041).
        await gate.FirstRequest.WaitAsync(TimeSpan.FromSeconds(60));
        for (var probe = 0; probe < 3; probe++)
        {
            using var ready = await server.Client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        }

        Assert.True(errors.Entries.Count == 0, "Error entries while warming up: " + string.Join("; ", errors.Entries));

        using (var live = await server.Client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        var rowsBefore = await server.RowCountsAsync();
        gate.Open();
        await WaitUntilReadyAsync(server.Client);

        Assert.True(gate.TokensIssued > 0, "the warm-up issued no token");
        Assert.Equal(0, gate.Failures);
        Assert.Equal(rowsBefore, await server.RowCountsAsync());
        Assert.DoesNotContain(issued.ClientIds, id => id?.StartsWith("warm-up-", StringComparison.Ordinal) == true);

        // The warm-up's client lived in memory only while it ran: its own credentials no longer authenticate.
        using var afterwards = await server.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), gate.TokenAuthorization);
        await OAuthAssert.TokenErrorAsync(afterwards, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_failing_warm_up_still_lets_the_server_turn_ready()
    {
        var gate = new WarmUpGate { Answer = StatusCodes.Status500InternalServerError };
        gate.Open();
        await using var server = await WarmUpServer.StartAsync(gate, enabled: true);

        await WaitUntilReadyAsync(server.Client);

        Assert.True(gate.Failures > 0, "the warm-up sent no request");
        using var token = await server.Client.PostC1Async();
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task Disabled_by_setting_no_request_is_sent_and_readiness_does_not_wait()
    {
        var gate = new WarmUpGate();
        await using var server = await WarmUpServer.StartAsync(gate, enabled: false);

        await WaitUntilReadyAsync(server.Client);

        Assert.Equal(0, gate.Requests);
    }

    private static Task WaitUntilReadyAsync(HttpClient client) =>
        Poll.UntilAsync(async () =>
        {
            using var ready = await client.GetAsync("/readyz");
            return ready.StatusCode;
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(120), "/readyz to answer 200");

    /// <summary>
    /// Middleware inside the application's pipeline (a start-up filter registered after Program's): warm-up requests wait
    /// until <see cref="Open"/>, then pass (or get <see cref="Answer"/>); other requests pass untouched.
    /// </summary>
    private sealed class WarmUpGate : IStartupFilter
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;
        private int _tokens;
        private int _failures;

        public int? Answer { get; init; }

        public Task FirstRequest => _first.Task;

        public int Requests => Volatile.Read(ref _requests);

        public int TokensIssued => Volatile.Read(ref _tokens);

        public int Failures => Volatile.Read(ref _failures);

        public AuthenticationHeaderValue? TokenAuthorization { get; private set; }

        public void Open() => _open.TrySetResult();

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, rest) =>
            {
                if (!WarmUpRequestFeature.IsWarmUp(http))
                {
                    await rest(http);
                    return;
                }

                Interlocked.Increment(ref _requests);
                _first.TrySetResult();
                await _open.Task;
                var isToken = http.Request.Path == Protocol.TokenPath;
                if (isToken && TokenAuthorization is null)
                {
                    TokenAuthorization = AuthenticationHeaderValue.Parse(http.Request.Headers.Authorization.ToString());
                }

                if (Answer is { } status)
                {
                    http.Response.StatusCode = status;
                    Interlocked.Increment(ref _failures);
                    return;
                }

                await rest(http);
                if (http.Response.StatusCode != StatusCodes.Status200OK && !http.RequestAborted.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failures);
                }
                else if (isToken)
                {
                    Interlocked.Increment(ref _tokens);
                }
            });
            next(app);
        };
    }

    /// <summary>The client_id tags of <c>authservice.token.issued</c> recorded while it listens (the meter is process-wide).</summary>
    private sealed class IssuedTokens : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<string?> _clientIds = [];

        public IssuedTokens()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AuthServiceTelemetry.Name && instrument.Name == "authservice.token.issued")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "client_id")
                    {
                        lock (_clientIds)
                        {
                            _clientIds.Add(tag.Value as string);
                        }
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string?> ClientIds
        {
            get
            {
                lock (_clientIds)
                {
                    return [.. _clientIds];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed class WarmUpServer : IAsyncDisposable
    {
        private readonly TestDatabase _database;
        private readonly TempDirectory _directory;
        private readonly AuthServerFactory _factory;

        private WarmUpServer(TestDatabase database, TempDirectory directory, AuthServerFactory factory)
        {
            _database = database;
            _directory = directory;
            _factory = factory;
            Client = factory.CreateClient(new() { AllowAutoRedirect = false });
        }

        public HttpClient Client { get; }

        public static async Task<WarmUpServer> StartAsync(WarmUpGate gate, bool enabled, ILoggerProvider? logs = null)
        {
            var database = await TestDatabase.CreateAsync();
            var directory = new TempDirectory();
            directory.WriteFile("seed.json", TestClients.SeedJson());
            var settings = ServerSettings.For(database.ConnectionString, directory.Combine("seed.json"), Directory.CreateDirectory(directory.Combine("data")).FullName,
                overrides: new Dictionary<string, string?>
                {
                    ["Auth:WarmUp:Enabled"] = enabled ? "true" : "false",
                    ["Auth:WarmUp:MaxDuration"] = "00:02:00",
                });
            return new WarmUpServer(database, directory, new AuthServerFactory(settings, services =>
            {
                services.AddSingleton<IStartupFilter>(gate);
                if (logs is not null)
                {
                    services.AddSingleton(logs);
                }
            }));
        }

        /// <summary>Every table of the server's own schemas with its row count (Hangfire's schema, its scheduler's state, left out).</summary>
        public Task<string> RowCountsAsync() => _database.ScalarAsync<string>(
            """
            SELECT coalesce(string_agg(format('%s.%s=%s', table_schema, table_name,
                       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text),
                       ', ' ORDER BY table_schema, table_name), '')
            FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'hangfire')
            """);

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _factory.DisposeAsync();
            await _database.DisposeAsync();
            _directory.Dispose();
        }
    }

    /// <summary>Every log entry at Error or above, as "category[event]: message".</summary>
    private sealed class ErrorEntries : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();

        public IReadOnlyList<string> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _entries);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, System.Collections.Concurrent.ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    entries.Enqueue($"{category}[{eventId.Id}]: {formatter(state, exception)}");
                }
            }
        }
    }
}
