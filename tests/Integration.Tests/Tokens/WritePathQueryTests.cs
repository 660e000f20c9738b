using System.Diagnostics;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthService.Integration.Tests.Tokens;

/// <summary>
/// docs/adr/0040: the shape of the SQL of the two token-endpoint writes. A redemption reads the code with its person in one
/// statement and writes in one batch; a refresh reads the token, its family and its person in one statement and writes in
/// one batch (the new token and the family with its version check). A second read of the person (the shape before) fails it.
/// </summary>
public sealed class WritePathQueryTests(WritePathQueryTests.RecordingFixture server) : IClassFixture<WritePathQueryTests.RecordingFixture>
{
    /// <summary>
    /// The sign-in server with the SQL recorder listening from before the server starts. EF Core decides whether a command
    /// event has a listener at most once per <c>LoggingConfigCacheTime</c> (1 s) per context, and pooled contexts keep that
    /// decision: a recorder subscribed just before the request would miss the commands.
    /// </summary>
    public sealed class RecordingFixture : SignInFixture, IDisposable
    {
        public SqlCommandRecorder Recorder { get; } = new();

        public void Dispose() => Recorder.Dispose();
    }

    private const string Scope = "openid offline_access api.read";

    [Fact]
    public async Task Redemption_and_refresh_each_read_once_and_write_once()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce);

        List<string> redemption;
        string refreshToken;
        var recorder = server.Recorder;
        recorder.Clear();
        {
            var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CF, SignInClients.CFSecret, code, pkce.Verifier, SignInClients.CFRedirect);
            refreshToken = (await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).GetProperty("refresh_token").GetString()!;
            redemption = recorder.Commands(server.Database.Name, RedemptionTables);
        }

        Assert.True(redemption.Count == 2, "expected one read and one write batch:\n" + string.Join("\n---\n", redemption));
        Assert.Contains("authorization_codes", redemption[0], StringComparison.Ordinal);
        Assert.Contains("users", redemption[0], StringComparison.Ordinal);
        Assert.StartsWith("SELECT", redemption[0].TrimStart(), StringComparison.OrdinalIgnoreCase);

        List<string> refresh;
        recorder.Clear();
        {
            var refreshed = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CF, SignInClients.CFSecret, refreshToken);
            var body = await OAuthAssert.TokenSuccessAsync(refreshed, codeFlow: true);
            Assert.NotEqual(refreshToken, body.GetProperty("refresh_token").GetString());
            Assert.Equal(JsonValueKind.String, body.GetProperty("id_token").ValueKind);
            refresh = recorder.Commands(server.Database.Name, RefreshTables);
        }

        Assert.True(refresh.Count == 2, "expected one read and one write batch:\n" + string.Join("\n---\n", refresh));
        Assert.StartsWith("SELECT", refresh[0].TrimStart(), StringComparison.OrdinalIgnoreCase);
        foreach (var table in RefreshTables)
        {
            Assert.Contains(table, refresh[0], StringComparison.Ordinal);
        }

        // The write: the new token and the family's rotation, guarded by its version (optimistic concurrency).
        Assert.Contains("INSERT INTO refresh_tokens", refresh[1], StringComparison.Ordinal);
        Assert.Contains("UPDATE refresh_token_families", refresh[1], StringComparison.Ordinal);
        Assert.Contains("version", refresh[1], StringComparison.Ordinal);
    }

    private static readonly string[] RedemptionTables = ["authorization_codes", "users", "refresh_token"];

    private static readonly string[] RefreshTables = ["refresh_tokens", "refresh_token_families", "users"];

    /// <summary>
    /// The SQL commands EF Core executes, with their database (its DiagnosticListener events, which are raised whatever the
    /// log levels), so that servers of other test classes running at the same time can be left out.
    /// </summary>
    public sealed class SqlCommandRecorder : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<(string? Database, string Sql)> _commands = [];
        private readonly List<IDisposable> _subscriptions = [];

        public SqlCommandRecorder() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

        public void Clear()
        {
            lock (_commands)
            {
                _commands.Clear();
            }
        }

        /// <summary>
        /// The commands since <see cref="Clear"/> on <paramref name="database"/> that name any of <paramref name="tables"/>
        /// (background jobs touch others).
        /// </summary>
        public List<string> Commands(string database, IReadOnlyList<string> tables)
        {
            lock (_commands)
            {
                return [.. _commands.Where(c => c.Database == database && tables.Any(table => c.Sql.Contains(table, StringComparison.Ordinal))).Select(c => c.Sql)];
            }
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed)
            {
                lock (_commands)
                {
                    _commands.Add((executed.Command.Connection?.Database, executed.Command.CommandText));
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
