using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthService.Integration.Tests.Resources;

/// <summary>
/// The sign-in fixtures plus registered protected resources (RFC 8707) and the clients that use them: a service on
/// client_credentials, a web client on the code flow, a public MCP-style client on a loopback resource, and one
/// introspecting client per resource.
/// </summary>
public sealed class ResourceFixture : SignInFixture
{
    public const string Orders = "https://orders.test/api";
    public const string Inventory = "https://inventory.test/api";
    public const string Restricted = "https://restricted.test/api";
    public const string Disabled = "https://disabled.test/api";
    public const string Ed = "https://ed.test/api";
    public const string Mcp = "http://127.0.0.1:9999/mcp";

    /// <summary>Service: client_credentials, allowed scopes of every resource and one of none.</summary>
    public const string Service = "RS-service";
    public const string ServiceSecret = "rs-service-secret-0123456789";

    /// <summary>Service allowed none of the resources' scopes.</summary>
    public const string Outsider = "RS-outsider";
    public const string OutsiderSecret = "rs-outsider-secret-0123456789";

    /// <summary>Confidential web client on the code flow.</summary>
    public const string Web = "RS-web";
    public const string WebSecret = "rs-web-secret-0123456789abc";
    public const string WebRedirect = "https://rs-web.example/cb";

    /// <summary>Public client as an MCP client registers it: auth method none, loopback redirect.</summary>
    public const string McpClient = "RS-mcp";
    public const string McpRedirect = "http://127.0.0.1/cb";

    /// <summary>Confidential client with PJ's keys registered, for signed request objects (RFC 9101).</summary>
    public const string Jar = "RS-jar";
    public const string JarSecret = "rs-jar-secret-0123456789abc";
    public const string JarRedirect = "https://rs-jar.example/cb";

    public const string OrdersIntrospector = "RS-orders-api";
    public const string OrdersIntrospectorSecret = "rs-orders-api-secret-0123456";
    public const string InventoryIntrospector = "RS-inventory-api";
    public const string InventoryIntrospectorSecret = "rs-inventory-api-secret-01234";

    protected override string SeedJson
    {
        get
        {
            var seed = SignInClients.SeedDocument();
            var clients = seed["clients"]!.AsArray();
            clients.Add(TestClients.Client(Service, ServiceSecret, "client_secret_basic", ["client_credentials"],
                "orders.read orders.write inventory.read ed.read api.read"));
            clients.Add(TestClients.Client(Outsider, OutsiderSecret, "client_secret_basic", ["client_credentials"], "api.read"));
            clients.Add(TestClients.Client(Web, WebSecret, "client_secret_basic", ["authorization_code", "refresh_token"],
                "openid profile offline_access orders.read orders.write inventory.read api.read", redirectUris: [WebRedirect]));
            clients.Add(TestClients.Client(McpClient, null, "none", ["authorization_code", "refresh_token"], "mcp:tools offline_access", redirectUris: [McpRedirect]));
            var jar = TestClients.Client(Jar, JarSecret, "client_secret_basic", ["authorization_code"], "openid orders.read inventory.read", redirectUris: [JarRedirect]);
            jar["jwks"] = new JsonObject { ["keys"] = new JsonArray(PushedAuthorization.PushedClients.PJPublicJwk()) };
            clients.Add(jar);
            clients.Add(TestClients.Client(OrdersIntrospector, OrdersIntrospectorSecret, "client_secret_basic", ["client_credentials"], "api.read"));
            clients.Add(TestClients.Client(InventoryIntrospector, InventoryIntrospectorSecret, "client_secret_basic", ["client_credentials"], "api.read"));
            seed["resources"] = new JsonArray(
                new JsonObject
                {
                    ["resource"] = Orders,
                    ["name"] = "Orders API",
                    ["scopes"] = new JsonArray("orders.read", "orders.write"),
                    ["access_token_lifetime"] = 600,
                    ["access_token_signing_alg"] = "RS256",
                    ["introspection_clients"] = new JsonArray(OrdersIntrospector),
                },
                new JsonObject
                {
                    ["resource"] = Inventory,
                    ["name"] = "Inventory API",
                    ["scopes"] = new JsonArray("inventory.read"),
                    ["introspection_clients"] = new JsonArray(InventoryIntrospector),
                },
                new JsonObject { ["resource"] = Restricted, ["scopes"] = new JsonArray("orders.read"), ["allowed_clients"] = new JsonArray("someone-else") },
                new JsonObject { ["resource"] = Disabled, ["scopes"] = new JsonArray("orders.read") },
                new JsonObject { ["resource"] = Ed, ["scopes"] = new JsonArray("ed.read"), ["access_token_signing_alg"] = "EdDSA" },
                new JsonObject { ["resource"] = Mcp, ["name"] = "MCP demo", ["scopes"] = new JsonArray("mcp:tools") });
            return seed.ToJsonString();
        }
    }

    /// <summary>client_credentials as <paramref name="clientId"/> with any number of <c>resource</c> values.</summary>
    public Task<HttpResponseMessage> ClientCredentialsAsync(string? scope, params string[] resources) =>
        ClientCredentialsAsAsync(Service, ServiceSecret, scope, resources);

    public Task<HttpResponseMessage> ClientCredentialsAsAsync(string clientId, string secret, string? scope, params string[] resources)
    {
        var form = new List<(string, string)> { ("grant_type", "client_credentials") };
        if (scope is not null)
        {
            form.Add(("scope", scope));
        }

        form.AddRange(resources.Select(r => ("resource", r)));
        return Client.PostTokenAsync(Protocol.Form([.. form]), Protocol.Basic(clientId, secret));
    }

    /// <summary>An authorization URL of <see cref="Web"/> (or another client) with the given <c>resource</c> values, repeated.</summary>
    public static string AuthorizeUrl(string scope, PkcePair pkce, string clientId = Web, string redirectUri = WebRedirect, params string[] resources) =>
        Browser.AuthorizeUrl(clientId, redirectUri, scope, pkce)
        + string.Concat(resources.Select(r => "&resource=" + Uri.EscapeDataString(r)));

    /// <summary>Signs alice in, consents, and returns the code of an authorization request naming <paramref name="resources"/>.</summary>
    public async Task<string> CodeAsync(string scope, PkcePair pkce, string clientId = Web, string redirectUri = WebRedirect, params string[] resources)
    {
        using var browser = NewBrowser();
        var response = await browser.AuthorizeAsync(AuthorizeUrl(scope, pkce, clientId, redirectUri, resources));
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Expected 303 to the client, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var parameters = Browser.ResponseParameters(response);
        Assert.True(parameters.ContainsKey("code"), $"Expected a code: {response.Headers.Location}");
        return parameters["code"];
    }

    /// <summary>Redeems a code of <see cref="Web"/> (or the public <see cref="McpClient"/>) with any <c>resource</c> values.</summary>
    public Task<HttpResponseMessage> RedeemAsync(string code, PkcePair pkce, string clientId = Web, string redirectUri = WebRedirect, params string[] resources)
    {
        var form = new List<(string, string)>
        {
            ("grant_type", "authorization_code"), ("code", code), ("code_verifier", pkce.Verifier), ("redirect_uri", redirectUri),
        };
        form.AddRange(resources.Select(r => ("resource", r)));
        return Post(clientId, form);
    }

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, string clientId = Web, string? scope = null, params string[] resources)
    {
        var form = new List<(string, string)> { ("grant_type", "refresh_token"), ("refresh_token", refreshToken) };
        if (scope is not null)
        {
            form.Add(("scope", scope));
        }

        form.AddRange(resources.Select(r => ("resource", r)));
        return Post(clientId, form);
    }

    public Task<HttpResponseMessage> IntrospectAsAsync(string token, string clientId, string secret) =>
        Client.PostTokenAsync(Protocol.Form(("token", token)), Protocol.Basic(clientId, secret), BackChannel.IntrospectionPath);

    /// <summary>Disables a seeded resource in the store (the seed declares resources enabled).</summary>
    public Task DisableAsync(string resource) =>
        Database.ScalarAsync<long>("WITH u AS (UPDATE protected_resources SET enabled = false WHERE resource = @r RETURNING 1) SELECT count(*) FROM u", ("r", resource));

    private Task<HttpResponseMessage> Post(string clientId, List<(string, string)> form)
    {
        AuthenticationHeaderValue? basic = clientId switch
        {
            Web => Protocol.Basic(Web, WebSecret),
            Jar => Protocol.Basic(Jar, JarSecret),
            _ => null,
        };
        if (basic is null)
        {
            form.Add(("client_id", clientId));
        }

        return Client.PostTokenAsync(Protocol.Form([.. form]), basic);
    }
}

/// <summary>Reading what a token says.</summary>
internal static class ResourceTokens
{
    public static JsonWebToken Read(JsonElement body) => AccessTokens.Read(body.GetProperty("access_token").GetString()!);

    /// <summary>The raw <c>aud</c> claim: a string for one audience (RFC 7519 §4.1.3), an array for several.</summary>
    public static JsonElement RawAudience(JsonWebToken token)
    {
        var payload = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement;
        return payload.GetProperty("aud").Clone();
    }

    public static string[] Scopes(JsonWebToken token) =>
        [.. token.GetClaim("scope").Value.Split(' ').Order(StringComparer.Ordinal)];
}
