using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

// A command-line tool signing a person in with the device authorization grant (RFC 8628): it shows a short code and a
// URL, the person approves on any device with a browser, and the tool polls the token endpoint until they have.
// docs/guides/device-flow-cli.md walks through it.
//
//   dotnet run --project samples/DeviceCli -- --issuer http://localhost:5000 --client-id demo-tv
//
// Exit codes: 0 signed in, 2 access_denied (the person said no), 3 expired_token (nobody approved in time), 1 otherwise.
var issuer = Option("--issuer", "http://localhost:5000").TrimEnd('/');
var clientId = Option("--client-id", "demo-tv");
var scope = Option("--scope", "openid profile offline_access");
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

// 1. Discovery: the device authorization endpoint is in the server's metadata (RFC 8628 §4).
var metadata = JsonNode.Parse(await http.GetStringAsync(new Uri($"{issuer}/.well-known/openid-configuration")))!;
var deviceEndpoint = (string)metadata["device_authorization_endpoint"]!;
var tokenEndpoint = (string)metadata["token_endpoint"]!;

// 2. The device authorization request (§3.1): a public client sends its client_id and the scope.
var (status, started) = await PostAsync(deviceEndpoint, ("client_id", clientId), ("scope", scope));
if (status != HttpStatusCode.OK)
{
    Console.Error.WriteLine($"ERROR {(string?)started["error"]}: {(string?)started["error_description"]}");
    return 1;
}

var deviceCode = (string)started["device_code"]!;
var interval = TimeSpan.FromSeconds((int?)started["interval"] ?? 5); // §3.2: 5 seconds when the server names none
var deadline = DateTimeOffset.UtcNow.AddSeconds((int)started["expires_in"]!);

// 3. Show the person what to do (§3.3): the short code and where to enter it, and the complete URL (§3.3.1) that
//    carries the code, for a QR code or a click. The user code is not a secret; the device code is, and stays here.
Console.WriteLine($"To sign in, open {(string)started["verification_uri"]!} and enter the code {(string)started["user_code"]!}");
Console.WriteLine($"VERIFY {(string?)started["verification_uri_complete"]}");

// 4. Poll the token endpoint (§3.4, §3.5) no faster than the interval, until the person decides or the code expires.
while (true)
{
    if (DateTimeOffset.UtcNow >= deadline)
    {
        Console.WriteLine("ERROR expired_token: nobody approved in time; run the command again.");
        return 3;
    }

    await Task.Delay(interval);
    var (pollStatus, answer) = await PostAsync(tokenEndpoint,
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode), ("client_id", clientId));
    if (pollStatus == HttpStatusCode.OK)
    {
        var claims = Payload((string?)answer["id_token"] ?? (string)answer["access_token"]!);
        Console.WriteLine($"Signed in as {(string?)claims["preferred_username"] ?? (string?)claims["sub"]}.");
        Console.WriteLine("SUMMARY " + new JsonObject
        {
            ["sub"] = (string?)claims["sub"],
            ["aud"] = claims["aud"]?.DeepClone(),
            ["scope"] = (string?)answer["scope"],
            ["has_refresh_token"] = answer["refresh_token"] is not null,
        }.ToJsonString());
        return 0;
    }

    switch ((string?)answer["error"])
    {
        case "authorization_pending":
            Console.WriteLine("authorization_pending: waiting for the person to approve ...");
            break;
        case "slow_down":
            // §3.5: this and every later request waits 5 seconds longer.
            interval += TimeSpan.FromSeconds(5);
            Console.WriteLine($"slow_down: polling every {interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s from now on.");
            break;
        case "access_denied":
            Console.WriteLine("ERROR access_denied: the request was denied.");
            return 2;
        case "expired_token":
            Console.WriteLine("ERROR expired_token: the code expired before it was approved; run the command again.");
            return 3;
        default:
            Console.WriteLine($"ERROR {(string?)answer["error"]}: {(string?)answer["error_description"]}");
            return 1;
    }
}

string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string url, params (string Name, string Value)[] form)
{
    using var response = await http.PostAsync(new Uri(url), new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Name, p.Value))));
    return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject());
}

// The claims of a token received straight from the token endpoint, for display (OIDC Core §3.1.3.7 lets a client rely on
// that connection instead of checking the ID token's signature).
static JsonObject Payload(string jwt)
{
    var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
    return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part + new string('=', (4 - part.Length % 4) % 4))))!.AsObject();
}
