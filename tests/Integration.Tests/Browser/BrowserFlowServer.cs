using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The built server as its own OS process on a real TCP port (<c>http://127.0.0.1:PORT</c>, which is also
/// its issuer), on a fresh PostgreSQL database, seeded with users alice and bob and the confidential client BR,
/// whose redirect URI is a <see cref="CallbackListener"/>. Chromium reaches both over loopback.
/// Disposing kills the server and drops the database. A subclass may choose the signing algorithms.
/// </summary>
public class BrowserFlowServer : IAsyncLifetime
{
    public const string ClientId = "BR";
    public const string ClientSecret = "br-secret-0123456789abcdef";
    public const string Username = "alice";
    public const string Password = "alice-password-0123";

    /// <summary>A second user, for the test that must start without alice's remembered consent (consent is kept per user and client, server-side).</summary>
    public const string OtherUsername = "bob";
    public const string OtherPassword = "bob-password-0123456";

    private readonly string _directory = Directory.CreateTempSubdirectory("authservice-browser-").FullName;
    private TestDatabase? _database;
    private LoopbackTls? _tls;

    public ServerProcess Process { get; private set; } = null!;

    public CallbackListener Callback { get; } = CallbackListener.Start();

    /// <summary><c>http://127.0.0.1:PORT</c>: the server's address and its issuer identifier.</summary>
    public string Issuer { get; private set; } = null!;

    /// <summary>A back-channel client for the token endpoint (the client's server side, not the browser).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary><c>Auth:AccessTokenSigningAlgorithm</c> of the server; null keeps the default (ES256).</summary>
    protected virtual string? AccessTokenSigningAlgorithm => null;

    /// <summary>
    /// The issuer's host: <c>127.0.0.1</c>; <c>localhost</c> for passkeys, whose relying party id (the issuer's host) must be
    /// a domain, not an IP address (WebAuthn L3 §5.1.2, "valid domain"), in a secure context (localhost is one).
    /// </summary>
    protected virtual string Host => "127.0.0.1";

    /// <summary>Client BR's <c>id_token_signed_response_alg</c>; null keeps the default (RS256).</summary>
    protected virtual string? IdTokenSignedResponseAlg => null;

    /// <summary>
    /// Whether the server listens on https, with a certificate of a test CA made here (for 127.0.0.1 and localhost): its
    /// cookies are then <c>Secure</c> and <c>__Host-</c>, as in production. Chromium is started with
    /// <see cref="ChromiumSession.LaunchAsync"/>'s <c>acceptTestCertificates</c>; <see cref="Http"/> trusts that CA alone.
    /// </summary>
    public virtual bool Https => false;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seedFile = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seedFile, SeedJson(Callback.RedirectUri));

        var environment = AccessTokenSigningAlgorithm is { } algorithm
            ? new Dictionary<string, string> { ["Auth__AccessTokenSigningAlgorithm"] = algorithm }
            : null;
        _tls = Https ? LoopbackTls.Create("AuthService browser test CA", TimeSpan.FromDays(2)) : null;
        (Process, Issuer) = await LoopbackServer.StartAsync(_database.ConnectionString, seedFile, _directory, environment, Host, _tls);

        Http = new HttpClient(_tls?.TrustingHandler() ?? new HttpClientHandler(), disposeHandler: true) { BaseAddress = new Uri(Issuer), Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>The authorization request URL of client BR, or of <paramref name="clientId"/> (code flow, PKCE S256, the callback as redirect URI).</summary>
    public string AuthorizeUrl(string scope, string state, string nonce, string codeChallenge, string clientId = ClientId) =>
        Issuer + "/connect/authorize?response_type=code"
        + "&client_id=" + Uri.EscapeDataString(clientId)
        + "&redirect_uri=" + Uri.EscapeDataString(Callback.RedirectUri)
        + "&scope=" + Uri.EscapeDataString(scope)
        + "&state=" + Uri.EscapeDataString(state)
        + "&nonce=" + Uri.EscapeDataString(nonce)
        + "&code_challenge=" + Uri.EscapeDataString(codeChallenge)
        + "&code_challenge_method=S256";

    /// <summary>Redeems a code at the token endpoint as client BR, or another (client_secret_basic), and returns the response's status and JSON.</summary>
    public async Task<(int Status, JsonElement Body, string Raw)> RedeemAsync(string code, string codeVerifier, string clientId = ClientId, string clientSecret = ClientSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = Callback.RedirectUri,
                ["code_verifier"] = codeVerifier,
            }),
        };
        var credentials = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(clientSecret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(raw).RootElement.Clone();
        }
        catch (JsonException)
        {
            body = default;
        }

        return ((int)response.StatusCode, body, raw);
    }

    /// <summary>A PKCE pair (RFC 7636 §4.1, §4.2): a 64-character verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(48));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>The JSON payload of a JWT, without checking anything (the server's own tests verify signatures).</summary>
    public static JsonElement JwtPayload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Adds to the seed (clients, users) before the server starts; the base seed has BR, alice and bob.</summary>
    protected virtual void ExtendSeed(JsonObject seed)
    {
    }

    private string SeedJson(string redirectUri)
    {
        var seed = BaseSeed(redirectUri);
        ExtendSeed(seed);
        return seed.ToJsonString();
    }

    private JsonObject BaseSeed(string redirectUri) => new()
    {
        ["clients"] = new JsonArray(new JsonObject
        {
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["token_endpoint_auth_method"] = "client_secret_basic",
            ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
            ["scope"] = "openid profile email offline_access",
            ["redirect_uris"] = new JsonArray(redirectUri),
            ["id_token_signed_response_alg"] = IdTokenSignedResponseAlg ?? "RS256",
        }),
        ["users"] = new JsonArray(new JsonObject
        {
            ["username"] = Username,
            ["email"] = "alice@example.com",
            ["email_verified"] = true,
            ["name"] = "Alice Example",
            ["password"] = Password,
        }, new JsonObject
        {
            ["username"] = OtherUsername,
            ["email"] = "bob@example.com",
            ["email_verified"] = true,
            ["name"] = "Bob Example",
            ["password"] = OtherPassword,
        }),
    };

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        Callback.Dispose();
        _tls?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp folder left behind must not hide the test's outcome.
        }
    }
}
