using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Logout;

/// <summary>
/// The admin fixture plus client BL, which registered a <c>backchannel_logout_uri</c> on a <see cref="LogoutReceiver"/>,
/// and clients FC and FX with a <c>frontchannel_logout_uri</c> (FC with session_required and a query of its own, and a
/// post-logout redirect URI); outbound requests may reach loopback, and the worker polls and retries quickly.
/// </summary>
public sealed class BackchannelLogoutFixture : AdminFixture, IAsyncDisposable
{
    public const string BL = "BL";
    public const string BLSecret = "bl-secret-0123456789abcdef";
    public const string BLRedirect = "https://bl.example/cb";
    /// <summary>A user whose password a test changes (through the seed); nobody else signs in as carol.</summary>
    public const string Carol = "carol";
    public const string CarolPassword = "carol-password-0123456";
    public const string FC = "FC";
    public const string FX = "FX";
    public const string FCSecret = "fc-secret-0123456789abcdef";
    public const string FCRedirect = "https://fc.example/cb";
    public const string FCPostLogout = "https://fc.example/bye";
    public const string FCLogoutUri = "https://fc.example/logout?from=op";
    public const string FXLogoutUri = "https://fx.example/logout";

    public LogoutReceiver Receiver { get; } = new();

    protected override string SeedJson
    {
        get
        {
            var seed = AdminClients.SeedDocument();
            var client = TestClients.Client(BL, BLSecret, "client_secret_basic", ["authorization_code"], "openid profile", redirectUris: [BLRedirect]);
            client["require_consent"] = false;
            client["backchannel_logout_uri"] = Receiver.Uri;
            client["backchannel_logout_session_required"] = true;
            seed["clients"]!.AsArray().Add(client);
            seed["users"]!.AsArray().Add(new JsonObject { ["username"] = Carol, ["email"] = "carol@example.com", ["name"] = "Carol Example", ["password"] = CarolPassword });
            seed["clients"]!.AsArray().Add(Frontchannel(FC, FCLogoutUri, sessionRequired: true));
            seed["clients"]!.AsArray().Add(Frontchannel(FX, FXLogoutUri, sessionRequired: false));
            return seed.ToJsonString();
        }
    }

    private static JsonObject Frontchannel(string clientId, string logoutUri, bool sessionRequired)
    {
        // Front-Channel Logout 1.0 §2: the logout URI shares the origin of a redirect URI.
        var client = TestClients.Client(clientId, FCSecret, "client_secret_basic", ["authorization_code"], "openid profile",
            redirectUris: [FCRedirect, new Uri(new Uri(logoutUri), "/frontchannel-cb").ToString()]);
        client["require_consent"] = false;
        client["post_logout_redirect_uris"] = new JsonArray(FCPostLogout);
        client["frontchannel_logout_uri"] = logoutUri;
        client["frontchannel_logout_session_required"] = sessionRequired;
        return client;
    }

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:OutboundFetch:AllowLoopback"] = "true",
        ["Auth:BackchannelLogout:PollInterval"] = "00:00:00.200",
        ["Auth:BackchannelLogout:RetryBaseDelay"] = "00:00:00.500",
        ["Auth:BackchannelLogout:RetryMaxDelay"] = "00:00:01",
        ["Auth:BackchannelLogout:MaxAttempts"] = "50",
    };

    async ValueTask IAsyncDisposable.DisposeAsync() => await Receiver.DisposeAsync();

    /// <summary>The notifications the admin API lists for <paramref name="clientId"/>.</summary>
    public async Task<List<JsonElement>> NotificationsAsync(string clientId = BL)
    {
        using var admin = await AdminAsync();
        var page = await admin.GetFromJsonAsync<JsonElement>($"/admin/logout-notifications?client_id={clientId}");
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Waits until the notification of <paramref name="sid"/> reached <paramref name="status"/>.</summary>
    public Task<JsonElement> NotificationAsync(string sid, string status, int minAttempts = 1) =>
        Poll.UntilAsync(
            async () => (await NotificationsAsync()).FirstOrDefault(n => n.GetProperty("session_id").GetString() == sid),
            n => n.ValueKind == JsonValueKind.Object && n.GetProperty("status").GetString() == status && n.GetProperty("attempts").GetInt32() >= minAttempts,
            TimeSpan.FromSeconds(30),
            $"notification of session {sid} {status}",
            n => n.ValueKind == JsonValueKind.Object ? n.ToString() : "none");
}
