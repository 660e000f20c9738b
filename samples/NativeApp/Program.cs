using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

// A native app signing a person in as RFC 8252 ("OAuth 2.0 for Native Apps") says: a public client (no secret: anything
// shipped in an app can be extracted), the system browser (never an embedded web view, §8.12), a loopback redirect on
// an ephemeral port (§7.3), PKCE S256 (§8.1, RFC 7636) and state. docs/guides/native-apps.md walks through it.
//
//   dotnet run --project samples/NativeApp -- --issuer http://localhost:5000 --client-id demo-native
//
// Options: --issuer, --client-id, --scope, --no-browser (only print the URL), --timeout <seconds> (waiting for the browser).
var options = Options.Parse(args);
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

// 1. Discovery (RFC 8414 / OpenID Connect Discovery): the endpoints are read, never hard-coded.
var metadata = await Json.GetAsync(http, $"{options.Issuer}/.well-known/openid-configuration");
var authorizationEndpoint = (string)metadata["authorization_endpoint"]!;
var tokenEndpoint = (string)metadata["token_endpoint"]!;

// 2. A listener on the loopback interface, on a port the operating system picks (RFC 8252 §7.3). The client is
//    registered with http://127.0.0.1/callback; the server accepts any port for a loopback IP literal, so the port need
//    not be known in advance. 127.0.0.1 rather than "localhost", which a resolver or firewall may map elsewhere (§8.3).
using var listener = new TcpListener(IPAddress.Loopback, 0);
listener.Start();
var port = ((IPEndPoint)listener.LocalEndpoint).Port;
var redirectUri = $"http://127.0.0.1:{port}/callback";

// 3. PKCE (RFC 7636 §4.1-4.2), state (RFC 6749 §10.12) and nonce (OIDC Core §3.1.2.1): fresh for every attempt.
var verifier = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
var challenge = Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
var state = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
var nonce = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
var authorizeUrl = authorizationEndpoint + "?" + Form.Query(
    ("response_type", "code"), ("client_id", options.ClientId), ("redirect_uri", redirectUri), ("scope", options.Scope),
    ("state", state), ("nonce", nonce), ("code_challenge", challenge), ("code_challenge_method", "S256"));

Console.WriteLine($"Listening on {redirectUri}");
Console.WriteLine("Open this URL in your browser to sign in:");
Console.WriteLine($"AUTHORIZE {authorizeUrl}");
if (options.OpenBrowser)
{
    OpenSystemBrowser(authorizeUrl);
}

// 4. Wait for the browser to come back with the authorization response.
using var timeout = new CancellationTokenSource(options.Timeout);
var code = await Callback.ReceiveCodeAsync(listener, state, options.Issuer, timeout.Token);
listener.Stop();
Console.WriteLine("Received the authorization code on the loopback redirect (state matched).");

// 5. Redeem it: a public client sends its client_id and the PKCE verifier, no secret (RFC 6749 §4.1.3, RFC 7636 §4.5).
var tokens = await Json.PostFormAsync(http, tokenEndpoint,
    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri), ("code_verifier", verifier), ("client_id", options.ClientId));
var idToken = (string?)tokens["id_token"] ?? throw new InvalidOperationException("No ID token: ask for the openid scope.");

// The ID token came straight from the token endpoint over the connection this app opened, so OIDC Core §3.1.3.7 lets
// it rely on that connection instead of checking the signature; iss, aud and nonce are still checked.
var claims = Jwt.Payload(idToken);
Require((string?)claims["iss"] == options.Issuer, "The ID token's iss is not the issuer.");
Require((string?)claims["aud"] == options.ClientId, "The ID token's aud is not this app.");
Require((string?)claims["nonce"] == nonce, "The ID token's nonce is not the one sent.");
Console.WriteLine($"Signed in. ID token claims: {claims.ToJsonString()}");

// 6. Refresh once (with offline_access the server issued a refresh token). Public clients' refresh tokens rotate:
//    keep the new one, the old one is spent (RFC 9700 §4.14.2).
var refreshToken = (string?)tokens["refresh_token"] ?? throw new InvalidOperationException("No refresh token: ask for offline_access.");
var refreshed = await Json.PostFormAsync(http, tokenEndpoint,
    ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", options.ClientId));
var rotated = (string?)refreshed["refresh_token"] is { } next && next != refreshToken;
Console.WriteLine($"Refreshed: a new access token for {(int?)refreshed["expires_in"]} s; refresh token rotated: {rotated}.");

Console.WriteLine("SUMMARY " + new JsonObject
{
    ["redirect_uri"] = redirectUri,
    ["sub"] = (string?)claims["sub"],
    ["aud"] = (string?)claims["aud"],
    ["scope"] = (string?)tokens["scope"],
    ["refreshed_scope"] = (string?)refreshed["scope"],
    ["refresh_token_rotated"] = rotated,
}.ToJsonString());
return 0;

static void Require(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}

// RFC 8252 §6: the request goes to the user's default browser, where their session and password manager are, and which
// the app cannot read. Where no browser can be started (a server, a container), the printed URL is opened by hand.
static void OpenSystemBrowser(string url)
{
    try
    {
        using var process = OperatingSystem.IsWindows() ? Process.Start(new ProcessStartInfo(url) { UseShellExecute = true })
            : Process.Start(OperatingSystem.IsMacOS() ? "open" : "xdg-open", [url]);
    }
    catch (System.ComponentModel.Win32Exception)
    {
        Console.WriteLine("(Could not start a browser: open the URL above by hand.)");
    }
}

internal sealed record Options(string Issuer, string ClientId, string Scope, bool OpenBrowser, TimeSpan Timeout)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        return new Options(
            Value("--issuer", "http://localhost:5000").TrimEnd('/'),
            Value("--client-id", "demo-native"),
            Value("--scope", "openid profile offline_access"),
            !args.Contains("--no-browser"),
            TimeSpan.FromSeconds(int.Parse(Value("--timeout", "300"), System.Globalization.CultureInfo.InvariantCulture)));
    }
}

/// <summary>The loopback redirect: a minimal HTTP/1.1 server that answers one valid authorization response.</summary>
internal static class Callback
{
    public static async Task<string> ReceiveCodeAsync(TcpListener listener, string expectedState, string issuer, CancellationToken cancellation)
    {
        while (true)
        {
            using var connection = await listener.AcceptTcpClientAsync(cancellation);
            await using var stream = connection.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(cancellation) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(cancellation)))
            {
                // The headers: nothing in them is needed.
            }

            var target = requestLine.Split(' ') is [_, var t, ..] ? t : "";
            var path = target.Split('?')[0];
            if (path != "/callback")
            {
                await RespondAsync(stream, 404, "Not found.");
                continue;
            }

            var parameters = Form.ParseQuery(target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "");

            // RFC 6749 §10.12: a response whose state is not the one this app sent is someone else's (a forged request
            // from a web page to the loopback port): refuse it and keep waiting for the real one.
            if (parameters.GetValueOrDefault("state") != expectedState)
            {
                Console.WriteLine("Refused a callback whose state does not match.");
                await RespondAsync(stream, 400, "This response does not belong to the sign-in this app started.");
                continue;
            }

            // RFC 9207: the authorization response names its issuer; a response from another server is a mix-up attack.
            if (parameters.GetValueOrDefault("iss") is { } iss && iss != issuer)
            {
                await RespondAsync(stream, 400, "This response comes from another authorization server.");
                throw new InvalidOperationException($"The authorization response came from {iss}, not {issuer}.");
            }

            if (parameters.GetValueOrDefault("error") is { } error)
            {
                await RespondAsync(stream, 200, "Sign-in did not complete. You can close this window.");
                throw new InvalidOperationException($"The authorization server answered {error}: {parameters.GetValueOrDefault("error_description")}");
            }

            await RespondAsync(stream, 200, "Signed in. You can close this window and return to the app.");
            return parameters.GetValueOrDefault("code") ?? throw new InvalidOperationException("The authorization response has no code.");
        }
    }

    private static async Task RespondAsync(Stream stream, int status, string message)
    {
        var body = Encoding.UTF8.GetBytes($"<!doctype html><title>NativeApp</title><p>{WebUtility.HtmlEncode(message)}</p>");
        var reason = status switch { 200 => "OK", 400 => "Bad Request", _ => "Not Found" };
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}

internal static class Form
{
    public static string Query(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));

    public static Dictionary<string, string> ParseQuery(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .GroupBy(pair => Uri.UnescapeDataString(pair[0].Replace('+', ' ')))
            .ToDictionary(g => g.Key, g => Uri.UnescapeDataString((g.First() is [_, var v] ? v : "").Replace('+', ' ')));
}

internal static class Json
{
    public static async Task<JsonNode> GetAsync(HttpClient http, string url) =>
        JsonNode.Parse(await http.GetStringAsync(new Uri(url))) ?? throw new InvalidOperationException($"{url} answered no JSON.");

    /// <summary>A token request; an error answer (RFC 6749 §5.2) stops the app with its error code.</summary>
    public static async Task<JsonNode> PostFormAsync(HttpClient http, string url, params (string Name, string Value)[] form)
    {
        using var response = await http.PostAsync(new Uri(url), new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Name, p.Value))));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject();
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"{url} answered {(int)response.StatusCode} {(string?)body["error"]}: {(string?)body["error_description"]}");
    }
}

internal static class Jwt
{
    /// <summary>The claims of a JWT (the middle part), decoded without verification.</summary>
    public static JsonObject Payload(string jwt) =>
        JsonNode.Parse(Base64Url.Decode(jwt.Split('.')[1]))!.AsObject();
}

internal static class Base64Url
{
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
