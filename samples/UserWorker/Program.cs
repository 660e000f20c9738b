using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

// A backend worker that acts for a person, two ways (docs/guides/acting-for-a-user.md):
//
//   exchange  The worker received the person's token (an access token sent by the app, or a refresh token the app
//             keeps for work while the person is away) and exchanges it (RFC 8693) for a token to a downstream API.
//             The new token names the person (sub) and the worker as the one acting (act, §4.1): the worker's own
//             client_credentials token is the actor token.
//   refresh   The worker belongs to the app itself (same confidential client) and keeps the refresh token the person
//             granted with offline_access; each run redeems it and stores the rotated one in its place.
//
//   USER_TOKEN=<access token> dotnet run --project samples/UserWorker -- exchange --issuer http://localhost:5000 \
//       --client-id demo-worker --client-secret demo-worker-secret-change-me --resource https://api.example.com/orders
//   dotnet run --project samples/UserWorker -- refresh --client-id demo-web --client-secret demo-web-secret-change-me \
//       --token-file refresh-token.txt
//
// The person's token comes from the environment (USER_TOKEN), never the command line, which other users of the machine can
// read; --subject-token-type refresh_token says it is a refresh token. The client secret comes from --client-secret or
// the CLIENT_SECRET variable.
var mode = args.FirstOrDefault() ?? "";
var issuer = Option("--issuer", "http://localhost:5000").TrimEnd('/');
var clientId = Option("--client-id", mode == "refresh" ? "demo-web" : "demo-worker");
var clientSecret = Option("--client-secret", Environment.GetEnvironmentVariable("CLIENT_SECRET") ?? "");
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var tokenEndpoint = (string)JsonNode.Parse(await http.GetStringAsync(new Uri($"{issuer}/.well-known/openid-configuration")))!["token_endpoint"]!;

switch (mode)
{
    case "exchange":
        {
            const string TokenTypes = "urn:ietf:params:oauth:token-type:";
            var subjectToken = Environment.GetEnvironmentVariable("USER_TOKEN")
                ?? throw new InvalidOperationException("Set USER_TOKEN to the person's access token (or refresh token).");
            var subjectType = TokenTypes + Option("--subject-token-type", "access_token");

            // 1. The actor token: the worker's own access token (client_credentials, RFC 6749 §4.4).
            var actor = await TokenAsync(("grant_type", "client_credentials"));

            // 2. The exchange (RFC 8693 §2.1): whose token (subject), who acts (actor), for which API (resource, RFC 8707).
            List<(string, string)> form =
            [
                ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
                ("subject_token", subjectToken), ("subject_token_type", subjectType),
                ("actor_token", (string)actor["access_token"]!), ("actor_token_type", TokenTypes + "access_token"),
                ("resource", Option("--resource", "https://api.example.com/orders")),
            ];
            if (Option("--scope", "") is { Length: > 0 } scope)
            {
                form.Add(("scope", scope)); // at most the person's scope and the worker's (docs/adr/0030)
            }

            var exchanged = await TokenAsync([.. form]);

            // 3. Call the downstream API with it (here: show what it says). A resource server sees who the user is (sub)
            //    and who acts for them (act.sub), and can refuse delegated calls it does not want.
            var claims = Payload((string)exchanged["access_token"]!);
            Console.WriteLine($"Exchanged: a token for {claims["aud"]} acting for {(string?)claims["sub"]} as {claims["act"]?.ToJsonString()}.");
            Console.WriteLine("SUMMARY " + new JsonObject
            {
                ["issued_token_type"] = (string?)exchanged["issued_token_type"],
                ["scope"] = (string?)exchanged["scope"],
                ["claims"] = claims,
            }.ToJsonString());
            return 0;
        }

    case "refresh":
        {
            // The refresh token is stored where only the worker can read it; every use rotates it (RFC 9700 §4.14.2),
            // so the new one replaces the old before anything else happens: presenting a spent one again would end the
            // whole grant (reuse detection).
            var file = Option("--token-file", "refresh-token.txt");
            var refreshToken = (await File.ReadAllTextAsync(file)).Trim();
            var refreshed = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken));
            if ((string?)refreshed["refresh_token"] is { } next)
            {
                await File.WriteAllTextAsync(file, next);
            }

            var claims = Payload((string)refreshed["access_token"]!);
            Console.WriteLine($"Refreshed while the person is away: an access token for {(string?)claims["sub"]}, {(int?)refreshed["expires_in"]} s.");
            Console.WriteLine("SUMMARY " + new JsonObject
            {
                ["scope"] = (string?)refreshed["scope"],
                ["rotated"] = (string?)refreshed["refresh_token"] is { } rotated && rotated != refreshToken,
                ["claims"] = claims,
            }.ToJsonString());
            return 0;
        }

    default:
        Console.Error.WriteLine("Usage: UserWorker exchange|refresh [--issuer URL] [--client-id ID] [--client-secret SECRET] ...");
        return 1;
}

string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

// A token request as a confidential client (client_secret_basic, RFC 6749 §2.3.1: both parts form-encoded first).
async Task<JsonNode> TokenAsync(params (string Name, string Value)[] form)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(tokenEndpoint))
    {
        Content = new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Name, p.Value))),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
    using var response = await http.SendAsync(request);
    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject();
    return response.IsSuccessStatusCode
        ? body
        : throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode} {(string?)body["error"]}: {(string?)body["error_description"]}");
}

// The claims of a token (the middle part of the JWT), for display only: the worker does not validate tokens it only passes on.
static JsonObject Payload(string jwt)
{
    var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
    return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part + new string('=', (4 - part.Length % 4) % 4))))!.AsObject();
}
