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
public sealed class WritePathQueryTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private const string Scope = "openid offline_access api.read";

    [Fact]
    public async Task Redemption_and_refresh_each_read_once_and_write_once()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce);

        List<string> redemption;
        string refreshToken;
        using (var recorder = new SqlCommandRecorder(server.Database.Name))
        {
            var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CF, SignInClients.CFSecret, code, pkce.Verifier, SignInClients.CFRedirect);
            refreshToken = (await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).GetProperty("refresh_token").GetString()!;
            redemption = recorder.Commands(RedemptionTables);
        }

        Assert.True(redemption.Count == 2, "expected one read and one write batch:\n" + string.Join("\n---\n", redemption));
        Assert.Contains("authorization_codes", redemption[0], StringComparison.Ordinal);
        Assert.Contains("users", redemption[0], StringComparison.Ordinal);
        Assert.StartsWith("SELECT", redemption[0].TrimStart(), StringComparison.OrdinalIgnoreCase);

        List<string> refresh;
        using (var recorder = new SqlCommandRecorder(server.Database.Name))
        {
            var refreshed = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CF, SignInClients.CFSecret, refreshToken);
            var body = await OAuthAssert.TokenSuccessAsync(refreshed, codeFlow: true);
            Assert.NotEqual(refreshToken, body.GetProperty("refresh_token").GetString());
            Assert.Equal(JsonValueKind.String, body.GetProperty("id_token").ValueKind);
            refresh = recorder.Commands(RefreshTables);
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
    /// The SQL commands EF Core executes on one test database (its DiagnosticListener events, which are raised whatever the
    /// log levels), so that servers of other test classes running at the same time are not counted.
    /// </summary>
    private sealed class SqlCommandRecorder : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _database;
        private readonly List<string> _commands = [];
        private readonly List<IDisposable> _subscriptions = [];

        public SqlCommandRecorder(string database)
        {
            _database = database;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        /// <summary>The commands so far that name any of <paramref name="tables"/> (background jobs touch others).</summary>
        public List<string> Commands(IReadOnlyList<string> tables)
        {
            lock (_commands)
            {
                return [.. _commands.Where(sql => tables.Any(table => sql.Contains(table, StringComparison.Ordinal)))];
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
            if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed
                && executed.Command.Connection?.Database == _database)
            {
                lock (_commands)
                {
                    _commands.Add(executed.Command.CommandText);
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
