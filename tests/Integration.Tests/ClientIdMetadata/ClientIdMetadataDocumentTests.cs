using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.ClientAuthentication;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.ClientIdMetadata;

/// <summary>
/// Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document) through the real pipeline: documents
/// served over https by a test CA the server trusts, every rule of the document, and the attacks.
/// </summary>
public sealed class ClientIdMetadataDocumentTests(MetadataDocumentFixture server) : IClassFixture<MetadataDocumentFixture>
{
    private const string Callback = "http://127.0.0.1/callback";
    private const string ResolvedEvent = "client.metadata_document_resolved";
    private const string RefusedEvent = "client.metadata_document_refused";

    private DocumentServer Documents => server.Documents;

    [Fact]
    public async Task Discovery_advertises_client_id_metadata_documents()
    {
        var metadata = JsonNode.Parse(await server.Client.GetStringAsync("/.well-known/oauth-authorization-server"))!;
        Assert.True(metadata["client_id_metadata_document_supported"]!.GetValue<bool>());
    }

    // The MCP case: a public client at a loopback redirect URI (any port, RFC 8252 §7.3), PKCE, consent with the host and a warning.
    [Fact]
    public async Task A_public_client_completes_the_code_flow_with_pkce_and_is_warned_about_its_loopback_redirect()
    {
        Documents.Set("mcp", Documents.PublicClient("mcp", Callback));
        var clientId = Documents.Url("mcp");
        var redirectUri = "http://127.0.0.1:49152/callback";
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();

        var login = await browser.GetAsync(Browser.AuthorizeUrl(clientId, redirectUri, "openid mcp:tools offline_access", pkce));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var consent = await browser.FollowAsync(await browser.SignInAsync(await login.Content.ReadAsStringAsync(), SignInClients.AliceUsername, SignInClients.AlicePassword));
        var page = await consent.Content.ReadAsStringAsync();
        Assert.Contains("name=\"decision\"", page, StringComparison.Ordinal);
        Assert.Contains("You will be sent back to <strong>127.0.0.1</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Warning:</strong>", page, StringComparison.Ordinal);
        Assert.Contains("Tool mcp", page, StringComparison.Ordinal);

        var response = await browser.FollowAsync(await browser.ConsentAsync(page, allow: true));
        Assert.StartsWith(redirectUri, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var code = Browser.ResponseParameters(response)["code"];

        var token = await CodeFlowTokens.RedeemAsync(server.Client, clientId, null, code, pkce.Verifier, redirectUri);
        var body = await OAuthAssert.TokenSuccessAsync(token, codeFlow: true);
        Assert.Equal(["mcp:tools", "offline_access", "openid"], OAuthAssert.ScopeSet(body).Order(StringComparer.Ordinal));

        // The refresh token works with the URL client_id too, and the consent is remembered under it.
        var refreshed = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RefreshAsync(server.Client, clientId, null, body.GetProperty("refresh_token").GetString()!), codeFlow: true);

        // RFC 7009 §2.1: the public client revokes its refresh token naming itself by its URL; the token is dead after.
        var refreshToken = refreshed.GetProperty("refresh_token").GetString()!;
        var revoked = await server.Client.PostAsync("/connect/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshToken, ["client_id"] = clientId }));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        await OAuthAssert.TokenErrorAsync(await CodeFlowTokens.RefreshAsync(server.Client, clientId, null, refreshToken), HttpStatusCode.BadRequest, "invalid_grant");
        var again = await browser.AuthorizeAsync(Browser.AuthorizeUrl(clientId, redirectUri, "openid mcp:tools", PkcePair.New()), allow: false);
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.True(Browser.ResponseParameters(again).ContainsKey("code"));

        Assert.Single(await server.AuditDetailsAsync(ResolvedEvent, clientId));
    }

    [Fact]
    public async Task A_code_for_a_document_client_is_not_redeemed_without_pkce_verifier()
    {
        Documents.Set("pkce", Documents.PublicClient("pkce", "https://tool.example/cb"));
        var clientId = Documents.Url("pkce");
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(clientId, "https://tool.example/cb", "openid", pkce);
        await OAuthAssert.TokenErrorAsync(await CodeFlowTokens.RedeemAsync(server.Client, clientId, null, code, null, "https://tool.example/cb"),
            HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Consent_for_an_https_redirect_shows_the_host_without_the_loopback_warning()
    {
        Documents.Set("web", Documents.PublicClient("web", "https://app.tool.example/cb"));
        using var browser = server.NewBrowser();
        var login = await browser.GetAsync(Browser.AuthorizeUrl(Documents.Url("web"), "https://app.tool.example/cb", "openid", PkcePair.New()));
        var consent = await browser.FollowAsync(await browser.SignInAsync(await login.Content.ReadAsStringAsync(), SignInClients.AliceUsername, SignInClients.AlicePassword));
        var page = await consent.Content.ReadAsStringAsync();
        Assert.Contains("You will be sent back to <strong>app.tool.example</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Warning:", page, StringComparison.Ordinal);
    }

    // The draft: the document's client_id equals its URL by simple string comparison; every near miss is refused.
    [Theory]
    [InlineData("{0}/")]
    [InlineData("{0}?x=1")]
    [InlineData("HTTPS://127.0.0.1:{1}/clients/{2}")]
    [InlineData("https://localhost:{1}/clients/{2}")]
    [InlineData("https://127.0.0.1:{1}/clients/OTHER")]
    [InlineData("https://127.0.0.1:{1}/Clients/{2}")]
    [InlineData("https://127.0.0.1:{1}/clients/{2}#")]
    [InlineData(" {0}")]
    public async Task A_document_whose_client_id_is_not_exactly_its_url_is_refused(string pattern)
    {
        var name = "mismatch-" + Guid.NewGuid().ToString("N")[..8];
        var document = Documents.PublicClient(name, Callback);
        document["client_id"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Documents.Url(name), Documents.Port, name);
        Documents.Set(name, document);
        await AssertErrorPageAsync(Documents.Url(name));
        Assert.Contains("not exactly its URL", Assert.Single(await server.AuditDetailsAsync(RefusedEvent, Documents.Url(name))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_secret_basic")]
    [InlineData("client_secret_post")]
    [InlineData("client_secret_jwt")]
    [InlineData(null)] // RFC 7591 §2: absent means client_secret_basic
    public async Task A_document_with_a_shared_secret_method_is_refused(string? method)
    {
        var name = "secret-" + (method ?? "absent");
        var document = Documents.PublicClient(name, Callback);
        if (method is null)
        {
            document.Remove("token_endpoint_auth_method");
        }
        else
        {
            document["token_endpoint_auth_method"] = method;
        }

        Documents.Set(name, document);
        await AssertErrorPageAsync(Documents.Url(name));
        await AssertInvalidClientAtTokenEndpointAsync(Documents.Url(name));
    }

    [Fact]
    public async Task A_document_carrying_a_client_secret_is_refused()
    {
        var document = Documents.PublicClient("with-secret", Callback);
        document["client_secret"] = "s3cret-s3cret-s3cret";
        Documents.Set("with-secret", document);
        await AssertErrorPageAsync(Documents.Url("with-secret"));
    }

    [Theory]
    [InlineData("client_credentials")]
    [InlineData("password")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    public async Task A_document_asking_for_other_grants_is_refused(string grant)
    {
        var name = "grant-" + Guid.NewGuid().ToString("N")[..8];
        var document = Documents.PublicClient(name, Callback);
        document["grant_types"] = new JsonArray("authorization_code", grant);
        Documents.Set(name, document);
        await AssertErrorPageAsync(Documents.Url(name));
    }

    // The same redirect URI rules as every client (the aggregate's validation): no fragment, no javascript:, https or loopback http.
    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://tool.example/cb#frag")]
    [InlineData("http://tool.example/cb")]
    public async Task A_document_with_an_invalid_redirect_uri_is_refused(string redirectUri)
    {
        var name = "bad-redirect-" + Guid.NewGuid().ToString("N")[..8];
        Documents.Set(name, Documents.PublicClient(name, redirectUri));
        await AssertErrorPageAsync(Documents.Url(name), redirectUri);
    }

    [Fact]
    public async Task A_redirect_uri_not_in_the_document_is_refused_on_the_error_page_never_redirected_to()
    {
        Documents.Set("narrow", Documents.PublicClient("narrow", "https://tool.example/cb"));
        await AssertErrorPageAsync(Documents.Url("narrow"), "https://attacker.example/cb");
        await AssertErrorPageAsync(Documents.Url("narrow"), "https://tool.example/cb2");
    }

    [Fact]
    public async Task A_document_served_through_a_redirect_is_refused()
    {
        var name = "redirected";
        var document = Documents.PublicClient(name, Callback);
        document["client_id"] = $"{Documents.Origin}/redirect/{name}";
        Documents.Set(name, document);
        await AssertErrorPageAsync($"{Documents.Origin}/redirect/{name}");
        Assert.Equal(0, Documents.Fetches(name));
    }

    [Fact]
    public async Task An_oversized_document_is_refused()
    {
        var document = Documents.PublicClient("big", Callback);
        document["padding"] = new string('x', 6 * 1024);
        Documents.Set("big", document);
        await AssertErrorPageAsync(Documents.Url("big"));
        Assert.Contains("larger than 5120 bytes", Assert.Single(await server.AuditDetailsAsync(RefusedEvent, Documents.Url("big"))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"client_id\": 5}")]
    [InlineData("{\"redirect_uris\": \"https://tool.example/cb\"}")]
    public async Task A_document_that_is_not_client_metadata_is_refused(string body)
    {
        var name = "garbage-" + Guid.NewGuid().ToString("N")[..8];
        Documents.SetRaw(name, body);
        await AssertErrorPageAsync(Documents.Url(name));
    }

    [Fact]
    public async Task A_missing_document_is_refused()
    {
        await AssertErrorPageAsync(Documents.Url("nobody"));
        await AssertInvalidClientAtTokenEndpointAsync(Documents.Url("nobody-token"));
    }

    // CWE-918: private addresses are never fetched, whatever the allow lists say; a denied host is never fetched at all.
    [Theory]
    [InlineData("https://10.0.0.1/client.json")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[fd00:ec2::254]/client.json")]
    [InlineData("https://denied.example/client.json")]
    public async Task Documents_at_private_addresses_or_denied_hosts_are_refused(string clientId)
    {
        await AssertErrorPageAsync(clientId);
        Assert.Single(await server.AuditDetailsAsync(RefusedEvent, clientId));
    }

    // The draft's Client Identifier rules: refused before anything is fetched.
    [Theory]
    [InlineData("https://127.0.0.1:{0}")]
    [InlineData("https://127.0.0.1:{0}/clients/../clients/dots")]
    [InlineData("https://127.0.0.1:{0}/clients/./dots")]
    [InlineData("https://user:pass@127.0.0.1:{0}/clients/dots")]
    public async Task Client_ids_that_break_the_url_rules_are_refused_without_a_fetch(string pattern)
    {
        Documents.Set("dots", Documents.PublicClient("dots", Callback));
        await AssertErrorPageAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Documents.Port));
        Assert.Equal(0, Documents.Fetches("dots"));
    }

    // Within max-age a second authorization does not fetch again (the expiry side: ClientIdMetadataCacheTests, on a moved clock).
    [Fact]
    public async Task A_url_longer_than_a_client_id_may_be_is_refused_without_a_fetch_at_every_endpoint()
    {
        var name = "long-" + new string('a', 200);
        Documents.Set(name, Documents.PublicClient(name, Callback));
        await AssertErrorPageAsync(Documents.Url(name));
        await AssertInvalidClientAtTokenEndpointAsync(Documents.Url(name));
        Assert.Equal(0, Documents.Fetches(name));
    }

    [Fact]
    public async Task A_document_is_not_fetched_again_within_its_max_age()
    {
        Documents.Set("cached", Documents.PublicClient("cached", Callback), cacheControl: "max-age=3600");
        await AssertAcceptedAsync(Documents.Url("cached"));
        await AssertAcceptedAsync(Documents.Url("cached"));
        Assert.Equal(1, Documents.Fetches("cached"));
    }

    [Fact]
    public async Task Scopes_are_narrowed_to_the_operator_allowed_set()
    {
        var document = Documents.PublicClient("scoped", Callback);
        document["scope"] = "openid mcp:tools admin";
        Documents.Set("scoped", document);
        var response = await server.Client.GetAsync(Browser.AuthorizeUrl(Documents.Url("scoped"), Callback, "openid admin", PkcePair.New()));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("invalid_scope", Browser.ResponseParameters(response)["error"]);
    }

    // private_key_jwt with keys in the document: the client authenticates at the PAR endpoint with an assertion.
    [Fact]
    public async Task A_private_key_jwt_document_client_authenticates_with_its_published_keys()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var document = Documents.PublicClient("signed", "https://tool.example/cb");
        document["token_endpoint_auth_method"] = "private_key_jwt";
        document["jwks"] = ClientAssertionFixture.Set(ClientAssertionFixture.Jwk(key, "k1"));
        Documents.Set("signed", document);
        var clientId = Documents.Url("signed");
        var pkce = PkcePair.New();

        Task<HttpResponseMessage> PushAsync(string assertion) => server.Client.PostTokenAsync(Protocol.Form(
            ("client_id", clientId), ("response_type", "code"), ("redirect_uri", "https://tool.example/cb"), ("scope", "openid"),
            ("code_challenge", pkce.Challenge), ("code_challenge_method", "S256"),
            ("client_assertion_type", Assertions.JwtBearer), ("client_assertion", assertion)), path: "/connect/par");

        var pushed = await PushAsync(Assertions.Es256(Assertions.Claims(clientId), key, "k1"));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = await PushAsync(Assertions.Es256(Assertions.Claims(clientId), other, "k1"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    private async Task AssertAcceptedAsync(string clientId, string redirectUri = Callback)
    {
        using var response = await server.Client.GetAsync(Browser.AuthorizeUrl(clientId, redirectUri, "openid", PkcePair.New()));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.SeeOther or HttpStatusCode.Found,
            $"Expected the request to be accepted, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.False(response.Headers.Location?.OriginalString.Contains("error=", StringComparison.Ordinal) == true, response.Headers.Location?.OriginalString);
    }

    /// <summary>The error page of the authorization endpoint: a 400 here, never a redirect to the (unverified) redirect URI.</summary>
    private async Task AssertErrorPageAsync(string clientId, string redirectUri = Callback)
    {
        using var response = await server.Client.GetAsync(Browser.AuthorizeUrl(clientId, redirectUri, "openid", PkcePair.New()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task AssertInvalidClientAtTokenEndpointAsync(string clientId)
    {
        // RFC 6749 §5.2: 401 only when the client authenticated through the Authorization header; a client_id alone is a 400.
        var response = await CodeFlowTokens.RedeemAsync(server.Client, clientId, null, "some-code", PkcePair.New().Verifier, Callback);
        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
    }
}
