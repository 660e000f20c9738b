using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.TokenExchange;

/// <summary>The clients and resource of the token exchange tests.</summary>
public sealed class TokenExchangeFixture : AuthServerFixture
{
    /// <summary>The exchanging service: confidential, registered for token exchange.</summary>
    public const string Exchanger = "TX";
    public const string ExchangerSecret = "tx-secret-0123456789abcdef";

    /// <summary>Holds subject tokens: client_credentials with api.read api.write orders.read.</summary>
    public const string Holder = "TH";
    public const string HolderSecret = "th-secret-0123456789abcdef";

    /// <summary>A second exchanger, for the second link of a delegation chain.</summary>
    public const string Second = "TY";
    public const string SecondSecret = "ty-secret-0123456789abcdef";

    /// <summary>Holds subject tokens until a test disables it.</summary>
    public const string Doomed = "TD";
    public const string DoomedSecret = "td-secret-0123456789abcdef";

    public const string Orders = "https://orders.example/api";
    public const string Restricted = "https://restricted.example/api";

    /// <summary>Registered and available to the exchanger, but not in its token exchange policy.</summary>
    public const string Unlisted = "https://unlisted.example/api";

    protected override string SeedJson
    {
        get
        {
            var seed = TestClients.SeedDocument();
            var clients = seed["clients"]!.AsArray();
            clients.Add(WithPolicy(TestClients.Client(Exchanger, ExchangerSecret, "client_secret_basic",
                ["urn:ietf:params:oauth:grant-type:token-exchange", "client_credentials"], "api.read orders.read"), [Orders, Restricted], [Holder, Doomed]));
            clients.Add(WithPolicy(TestClients.Client(Second, SecondSecret, "client_secret_basic",
                ["urn:ietf:params:oauth:grant-type:token-exchange", "client_credentials"], "api.read orders.read"), [], [Exchanger]));
            clients.Add(TestClients.Client(Holder, HolderSecret, "client_secret_basic", ["client_credentials"], "api.read api.write orders.read"));
            clients.Add(TestClients.Client(Doomed, DoomedSecret, "client_secret_basic", ["client_credentials"], "api.read"));
            clients.Add(TestClients.Client(AdminClients.Admin, AdminClients.AdminSecret, "client_secret_basic", ["client_credentials"], "admin"));
            seed["resources"] = new JsonArray(
                new JsonObject { ["resource"] = Orders, ["name"] = "Orders API", ["scopes"] = new JsonArray("orders.read") },
                new JsonObject { ["resource"] = Restricted, ["scopes"] = new JsonArray("orders.read"), ["allowed_clients"] = new JsonArray("someone-else") },
                new JsonObject { ["resource"] = Unlisted, ["scopes"] = new JsonArray("orders.read") });
            return seed.ToJsonString();
        }
    }

    /// <summary>Adds a <c>token_exchange</c> policy: the resources exchanged tokens may be for, and whose tokens the client may exchange.</summary>
    public static JsonObject WithPolicy(JsonObject client, string[] audiences, string[] subjectClients, bool impersonation = false)
    {
        client["token_exchange"] = new JsonObject
        {
            ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["subject_clients"] = new JsonArray([.. subjectClients.Select(c => (JsonNode)c)]),
            ["impersonation"] = impersonation,
        };
        return client;
    }
}

/// <summary>
/// Token exchange (RFC 8693) through the real token endpoint: delegation with <c>act</c> (§4.1, nested for a chain),
/// <c>may_act</c> (§4.4), the target (§2.1 <c>resource</c>/<c>audience</c>, RFC 8707), no scope escalation, revoked
/// and foreign subject tokens, and the client rules (§2.2.2 error codes).
/// </summary>
public sealed class TokenExchangeTests(TokenExchangeFixture server) : IClassFixture<TokenExchangeFixture>
{
    private const string Grant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    private readonly HttpClient _client = server.Client;

    private Task<string> SubjectAsync(string scope = "api.read orders.read") => TokenAsync(TokenExchangeFixture.Holder, TokenExchangeFixture.HolderSecret, scope);

    private Task<string> ActorAsync() => TokenAsync(TestClients.C2, TestClients.C2Secret, "api.read");

    private async Task<string> TokenAsync(string clientId, string secret, string scope) =>
        (await OAuthAssert.TokenSuccessAsync(await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", scope)), Protocol.Basic(clientId, secret)))).GetProperty("access_token").GetString()!;

    private Task<HttpResponseMessage> ExchangeAsync(
        (string Name, string Value)[] parameters, string clientId = TokenExchangeFixture.Exchanger, string secret = TokenExchangeFixture.ExchangerSecret) =>
        _client.PostTokenAsync(Protocol.Form([("grant_type", Grant), .. parameters]), Protocol.Basic(clientId, secret));

    private static (string, string)[] Delegation(string subject, string actor, params (string, string)[] more) =>
        [("subject_token", subject), ("subject_token_type", AccessTokenType), ("actor_token", actor), ("actor_token_type", AccessTokenType), .. more];

    [Fact]
    public async Task Delegation_issues_an_access_token_for_the_subject_with_the_actor_in_act()
    {
        var subject = await SubjectAsync();
        var actor = await ActorAsync();

        using var response = await ExchangeAsync(Delegation(subject, actor, ("scope", "api.read")));

        var body = await OAuthAssert.TokenSuccessAsync(response);
        Assert.Equal(AccessTokenType, body.GetProperty("issued_token_type").GetString());
        Assert.Equal("api.read", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        var claims = Jose.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(TokenExchangeFixture.Holder, claims["sub"]!.GetValue<string>());
        Assert.Equal(TokenExchangeFixture.Exchanger, claims["client_id"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse($$"""{"sub":"{{TestClients.C2}}"}""")!.ToJsonString(), claims["act"]!.ToJsonString());
        Assert.Equal("at+jwt", Jose.Header(body.GetProperty("access_token").GetString()!)["typ"]!.GetValue<string>());

        // The exchanged token is a token of this server like any other: introspection by the exchanging client reports it active.
        var introspected = await BackChannel.ActiveAsync(await _client.IntrospectAsync(body.GetProperty("access_token").GetString()!, Protocol.Basic(TokenExchangeFixture.Exchanger, TokenExchangeFixture.ExchangerSecret)));
        Assert.Equal(TokenExchangeFixture.Holder, introspected.GetProperty("sub").GetString());
    }

    // RFC 9449 §5: with a DPoP proof the exchanged token is bound to the exchanging client's key, as at any grant.
    [Fact]
    public async Task With_a_DPoP_proof_the_exchanged_token_is_bound_to_the_key()
    {
        using var key = DPoP.DPoPKey.Es256();
        using var request = Protocol.TokenRequest(Protocol.Form([("grant_type", Grant), .. Delegation(await SubjectAsync(), await ActorAsync())]),
            Protocol.Basic(TokenExchangeFixture.Exchanger, TokenExchangeFixture.ExchangerSecret));
        request.Headers.Add("DPoP", key.Proof("POST", DPoP.DPoPKey.TokenUrl));

        var body = await OAuthAssert.TokenSuccessAsync(await _client.SendAsync(request), tokenType: "DPoP");

        var claims = Jose.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(key.Thumbprint(), claims["cnf"]!["jkt"]!.GetValue<string>());
        Assert.Equal(TestClients.C2, claims["act"]!["sub"]!.GetValue<string>());
    }

    // RFC 8693 §4.1: a second exchange of a delegated token keeps the earlier actor nested under the new one.
    [Fact]
    public async Task A_delegation_chain_nests_the_prior_actor()
    {
        var first = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Delegation(await SubjectAsync(), await ActorAsync())));
        var secondActor = await TokenAsync(TestClients.C1, TestClients.C1Secret, "api.read");

        using var response = await ExchangeAsync(
            Delegation(first.GetProperty("access_token").GetString()!, secondActor), TokenExchangeFixture.Second, TokenExchangeFixture.SecondSecret);

        var body = await OAuthAssert.TokenSuccessAsync(response);
        var claims = Jose.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(TokenExchangeFixture.Holder, claims["sub"]!.GetValue<string>());
        Assert.Equal("{\"sub\":\"" + TestClients.C1 + "\",\"act\":{\"sub\":\"" + TestClients.C2 + "\"}}", claims["act"]!.ToJsonString());
    }

    [Fact]
    public async Task May_act_naming_the_actor_allows_the_exchange_and_naming_another_refuses_it()
    {
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var subject = await SubjectAsync();
        string WithMayAct(string sub)
        {
            var payload = Jose.Payload(subject);
            payload["may_act"] = new JsonObject { ["sub"] = sub };
            return keys.SignEs256(Jose.Header(subject), payload.ToJsonString());
        }

        await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Delegation(WithMayAct(TestClients.C2), await ActorAsync())));

        var refused = await OAuthAssert.TokenErrorAsync(
            await ExchangeAsync(Delegation(WithMayAct("someone-else"), await ActorAsync())), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("may_act", refused.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registered_resource_or_audience_selects_the_target_and_narrows_the_scope()
    {
        var subject = await SubjectAsync();

        foreach (var parameter in new[] { "resource", "audience" })
        {
            var body = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Delegation(subject, await ActorAsync(), (parameter, TokenExchangeFixture.Orders))));
            var claims = Jose.Payload(body.GetProperty("access_token").GetString()!);
            Assert.Equal(TokenExchangeFixture.Orders, claims["aud"]!.GetValue<string>());
            Assert.Equal("orders.read", claims["scope"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("resource", TokenExchangeFixture.Restricted)]
    [InlineData("resource", TokenExchangeFixture.Unlisted)]
    [InlineData("audience", TokenExchangeFixture.Unlisted)]
    [InlineData("resource", "https://unknown.example/api")]
    [InlineData("audience", "https://unknown.example/api")]
    [InlineData("audience", "not a uri")]
    public async Task A_refused_audience_is_invalid_target(string parameter, string value)
    {
        using var response = await ExchangeAsync(Delegation(await SubjectAsync(), await ActorAsync(), (parameter, value)));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    // No escalation: a scope beyond the subject token's, or beyond the exchanging client's, is refused.
    [Theory]
    [InlineData("api.write")]
    [InlineData("api.read admin")]
    public async Task Scope_escalation_is_invalid_scope(string scope)
    {
        var subject = await SubjectAsync(scope == "api.write" ? "api.read api.write" : "api.read");

        using var response = await ExchangeAsync(Delegation(subject, await ActorAsync(), ("scope", scope)));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Without_a_scope_the_subject_scope_within_the_client_scope_is_granted()
    {
        var subject = await SubjectAsync("api.read api.write");

        var body = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Delegation(subject, await ActorAsync())));

        Assert.Equal("api.read", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_revoked_subject_or_actor_token_is_invalid_request()
    {
        var subject = await SubjectAsync();
        await BackChannel.RevokedAsync(await _client.RevokeAsync(subject, Protocol.Basic(TokenExchangeFixture.Holder, TokenExchangeFixture.HolderSecret)));
        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(Delegation(subject, await ActorAsync())), HttpStatusCode.BadRequest, "invalid_request");

        var actor = await ActorAsync();
        await BackChannel.RevokedAsync(await _client.RevokeAsync(actor, BackChannel.C2Basic));
        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(Delegation(await SubjectAsync(), actor)), HttpStatusCode.BadRequest, "invalid_request");
    }

    // A token outlives neither the disabling of its client: exchange refuses it at once, not when it expires.
    [Fact]
    public async Task A_subject_token_of_a_disabled_client_is_invalid_request()
    {
        var subject = await TokenAsync(TokenExchangeFixture.Doomed, TokenExchangeFixture.DoomedSecret, "api.read");
        await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Delegation(subject, await ActorAsync())));
        var admin = await TokenAsync(AdminClients.Admin, AdminClients.AdminSecret, "admin");
        using var disable = new HttpRequestMessage(HttpMethod.Post, $"/admin/clients/{TokenExchangeFixture.Doomed}/disable");
        disable.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
        using var disabled = await _client.SendAsync(disable);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(Delegation(subject, await ActorAsync())), HttpStatusCode.BadRequest, "invalid_request");
    }

    // A token of another issuer, a forged signature or a token that is not an access token: invalid_request.
    [Fact]
    public async Task A_forged_or_foreign_subject_token_is_invalid_request()
    {
        var subject = await SubjectAsync();
        using var attacker = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var forged = Jose.SignEs256(Jose.Header(subject), Jose.Split(subject).Payload, attacker);
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var payload = Jose.Payload(subject);
        payload["iss"] = "https://untrusted.example";
        var foreign = keys.SignEs256(Jose.Header(subject), payload.ToJsonString());

        foreach (var token in new[] { forged, foreign, "not-a-jwt" })
        {
            await OAuthAssert.TokenErrorAsync(await ExchangeAsync(Delegation(token, await ActorAsync())), HttpStatusCode.BadRequest, "invalid_request");
        }
    }

    [Fact]
    public async Task Impersonation_without_an_actor_token_is_refused()
    {
        using var response = await ExchangeAsync([("subject_token", await SubjectAsync()), ("subject_token_type", AccessTokenType)]);

        var body = await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("impersonation", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no subject_token")]
    [InlineData("no subject_token_type")]
    [InlineData("unsupported subject type")]
    [InlineData("actor_token without type")]
    [InlineData("actor_token_type without token")]
    [InlineData("requested refresh_token")]
    [InlineData("repeated subject_token")]
    public async Task Malformed_requests_are_invalid_request(string variant)
    {
        var subject = await SubjectAsync();
        var actor = await ActorAsync();
        (string, string)[] parameters = variant switch
        {
            "no subject_token" => [("subject_token_type", AccessTokenType), ("actor_token", actor), ("actor_token_type", AccessTokenType)],
            "no subject_token_type" => [("subject_token", subject), ("actor_token", actor), ("actor_token_type", AccessTokenType)],
            "unsupported subject type" => [("subject_token", subject), ("subject_token_type", "urn:ietf:params:oauth:token-type:saml2"),
                ("actor_token", actor), ("actor_token_type", AccessTokenType)],
            "actor_token without type" => [("subject_token", subject), ("subject_token_type", AccessTokenType), ("actor_token", actor)],
            "actor_token_type without token" => [("subject_token", subject), ("subject_token_type", AccessTokenType), ("actor_token_type", AccessTokenType)],
            "requested refresh_token" => Delegation(subject, actor, ("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token")),
            _ => Delegation(subject, actor, ("subject_token", subject)),
        };

        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(parameters), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_client_not_registered_for_token_exchange_is_unauthorized_client()
    {
        using var response = await ExchangeAsync(Delegation(await SubjectAsync(), await ActorAsync()), TestClients.C1, TestClients.C1Secret);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    // The policy's subject_clients: TY may exchange only TX's tokens (and its own), TX only TH's and TD's (and its own).
    [Fact]
    public async Task A_subject_token_of_a_client_outside_the_policy_is_invalid_request()
    {
        var refused = await OAuthAssert.TokenErrorAsync(
            await ExchangeAsync(Delegation(await SubjectAsync(), await ActorAsync()), TokenExchangeFixture.Second, TokenExchangeFixture.SecondSecret),
            HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("subject token's client", refused.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        await OAuthAssert.TokenErrorAsync(
            await ExchangeAsync(Delegation(await TokenAsync(TestClients.C2, TestClients.C2Secret, "api.read"), await ActorAsync())),
            HttpStatusCode.BadRequest, "invalid_request");

        // Its own token a client may always exchange.
        var own = await TokenAsync(TokenExchangeFixture.Exchanger, TokenExchangeFixture.ExchangerSecret, "api.read");
        await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Delegation(own, await ActorAsync())));
    }

    [Fact]
    public async Task The_admin_api_stores_shows_and_validates_the_policy()
    {
        using var admin = await AdminAsync();
        var body = new JsonObject
        {
            ["client_id"] = "tx-admin",
            ["token_endpoint_auth_method"] = "client_secret_basic",
            ["grant_types"] = new JsonArray("urn:ietf:params:oauth:grant-type:token-exchange"),
            ["scope"] = "api.read orders.read",
        };
        TokenExchangeFixture.WithPolicy(body, [TokenExchangeFixture.Orders], [TokenExchangeFixture.Holder], impersonation: true);
        var created = await (await admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(body.ToJsonString()))).ExpectAsync(HttpStatusCode.Created);
        var policy = created.GetProperty("token_exchange");
        Assert.Equal(TokenExchangeFixture.Orders, Assert.Single(policy.GetProperty("audiences").EnumerateArray()).GetString());
        Assert.Equal(TokenExchangeFixture.Holder, Assert.Single(policy.GetProperty("subject_clients").EnumerateArray()).GetString());
        Assert.True(policy.GetProperty("impersonation").GetBoolean());

        // The new client impersonates with the policy it was given: a holder's token, for the listed resource.
        var secret = created.GetProperty("client_secret").GetString()!;
        var exchanged = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(
            [("subject_token", await SubjectAsync()), ("subject_token_type", AccessTokenType), ("resource", TokenExchangeFixture.Orders)], "tx-admin", secret));
        var impersonating = exchanged.GetProperty("access_token").GetString()!;
        var claims = Jose.Payload(impersonating);
        Assert.Equal(TokenExchangeFixture.Holder, claims["sub"]!.GetValue<string>());
        Assert.Null(claims["act"]);
        using (var introspected = await _client.PostTokenAsync(Protocol.Form(("token", impersonating)), Protocol.Basic("tx-admin", secret), BackChannel.IntrospectionPath))
        {
            Assert.Equal(TokenExchangeFixture.Holder, (await BackChannel.ActiveAsync(introspected)).GetProperty("sub").GetString());
        }

        foreach (var (field, invalid) in new (string, JsonObject)[]
        {
            ("token_exchange.audiences", new JsonObject { ["audiences"] = new JsonArray("not a uri") }),
            ("token_exchange.audiences", new JsonObject { ["audiences"] = new JsonArray(TokenExchangeFixture.Orders, TokenExchangeFixture.Orders) }),
            ("token_exchange.subject_clients", new JsonObject { ["subject_clients"] = new JsonArray("bad\u0001id") }),
            ("token_exchange", new JsonObject { ["subject_clients"] = new JsonArray((JsonNode?)null) }),
        })
        {
            body["client_id"] = "tx-invalid";
            body["token_exchange"] = invalid;
            await (await admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(body.ToJsonString()))).ProblemAsync(HttpStatusCode.BadRequest, field);
        }

        // A policy needs the grant it governs.
        body["grant_types"] = new JsonArray("client_credentials");
        body["token_exchange"] = new JsonObject { ["impersonation"] = true };
        await (await admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(body.ToJsonString()))).ProblemAsync(HttpStatusCode.BadRequest, "token_exchange");
    }

    private async Task<HttpClient> AdminAsync()
    {
        var admin = server.Factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", await TokenAsync(AdminClients.Admin, AdminClients.AdminSecret, "admin"));
        return admin;
    }

    [Fact]
    public async Task Discovery_advertises_the_grant()
    {
        using var response = await _client.GetAsync("/.well-known/openid-configuration");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Contains(Grant, document.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }
}
