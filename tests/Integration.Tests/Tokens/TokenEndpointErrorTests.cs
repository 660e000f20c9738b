using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tokens;

/// <summary>
/// Refused token requests: each must be TOKEN-ERROR with the
/// exact RFC 6749 §5.2 code, never a token and never a 5xx.
/// </summary>
public sealed class TokenEndpointErrorTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private static readonly string ClientCredentials = Protocol.Form(("grant_type", "client_credentials"));

    private readonly HttpClient _client = server.Client;

    private static AuthenticationHeaderValue C1Basic => Protocol.Basic(TestClients.C1, TestClients.C1Secret);

    [Fact]
    public async Task Wrong_secret_over_basic_is_401_invalid_client_with_a_basic_challenge()
    {
        var response = await _client.PostTokenAsync(ClientCredentials, Protocol.Basic(TestClients.C1, "wrong-secret-0123456789"));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic realm=\"AuthService\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
    }

    // body credentials: 400 (no Authorization header was used), no challenge.
    [Fact]
    public async Task Wrong_secret_in_the_body_is_400_invalid_client()
    {
        var response = await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.CP), ("client_secret", "wrong-secret-0123456789")));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    // A client registered for client_secret_basic cannot switch to client_secret_post (RFC 7591 §2).
    [Fact]
    public async Task The_right_secret_with_an_unregistered_method_is_invalid_client()
    {
        var response = await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.C1), ("client_secret", TestClients.C1Secret)));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task An_unknown_client_is_invalid_client()
    {
        var response = await _client.PostTokenAsync(ClientCredentials, Protocol.Basic("no-such-client", "whatever-secret-0123456789"));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    // a confidential client presenting only its client_id.
    [Fact]
    public async Task A_confidential_client_without_authentication_is_invalid_client()
    {
        var response = await _client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials"), ("client_id", TestClients.C1)));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task No_client_identification_at_all_is_invalid_client()
    {
        var response = await _client.PostTokenAsync(ClientCredentials);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
    }

    // Basic and client_secret in the body.
    [Fact]
    public async Task Two_authentication_methods_are_invalid_request()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("client_secret", TestClients.C1Secret)), C1Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // Basic and a client assertion: two methods (OAuth 2.1 §2.4).
    [Fact]
    public async Task Basic_with_a_client_assertion_is_refused()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", "eyJhbGciOiJub25lIn0.e30.")),
            C1Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Basic_as_one_client_with_another_client_id_in_the_body_is_invalid_request()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("client_id", TestClients.C2)), C1Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_client_secret_in_the_query_string_is_invalid_request()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("client_id", TestClients.CP)),
            path: Protocol.TokenPath + "?client_secret=" + Uri.EscapeDataString(TestClients.CPSecret));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // even when the body authenticates correctly.
    [Fact]
    public async Task A_client_secret_in_the_query_string_is_refused_even_with_valid_basic()
    {
        var response = await _client.PostTokenAsync(ClientCredentials, C1Basic, Protocol.TokenPath + "?client_secret=x");

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // RFC 9700 §2.4 and the other grants that are not (or not yet) served.
    [Theory]
    [InlineData("password")]
    [InlineData("implicit")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    [InlineData("urn:ietf:params:oauth:grant-type:saml2-bearer")]
    [InlineData("urn:ietf:params:oauth:grant-type:DEVICE_CODE")]
    [InlineData("AUTHORIZATION_CODE")]
    [InlineData("CLIENT_CREDENTIALS")]
    public async Task A_grant_type_that_is_not_served_is_unsupported_grant_type(string grantType)
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", grantType), ("username", "u1"), ("password", "p"), ("code", "x")), C1Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    // RFC 6749 §5.2: a served grant the client is not registered for is unauthorized_client.
    [Theory]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    [InlineData("urn:ietf:params:oauth:grant-type:token-exchange")]
    public async Task A_served_grant_the_client_is_not_registered_for_is_unauthorized_client(string grantType)
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", grantType), ("device_code", "x"), ("subject_token", "x")), C1Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task A_missing_grant_type_is_invalid_request()
    {
        var response = await _client.PostTokenAsync(Protocol.Form(("scope", "api.read")), C1Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // ASVS 10.4.4: a confidential client not registered for client_credentials.
    [Fact]
    public async Task A_client_without_the_grant_is_unauthorized_client()
    {
        var response = await _client.PostTokenAsync(ClientCredentials, Protocol.Basic(TestClients.CA, TestClients.CASecret));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    // ASVS 10.4.4: a public client may never use client_credentials (OAuth 2.1 §4.2). The authenticator
    // accepts a public client presenting only its id; the grant handler then refuses it.
    [Fact]
    public async Task A_public_client_asking_for_client_credentials_is_unauthorized_client()
    {
        var response = await _client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials"), ("client_id", TestClients.P1)));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task A_scope_the_client_is_not_allowed_is_invalid_scope()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "api.read api.write")), Protocol.Basic(TestClients.C2, TestClients.C2Secret));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    // There is no user in client_credentials, so identity scopes are refused.
    [Theory]
    [InlineData("openid")]
    [InlineData("api.read openid")]
    [InlineData("offline_access")]
    public async Task An_identity_scope_is_invalid_scope(string scope)
    {
        var response = await _client.PostC1Async(scope);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Theory]
    [InlineData("api\"read")]
    [InlineData("api\\read")]
    [InlineData("api.read\u00e9")]
    public async Task A_malformed_scope_is_invalid_scope(string scope)
    {
        var response = await _client.PostC1Async(scope);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    // CVE-2026-4634: scope processing stays bounded. A 10,000-entry scope exceeds both the scope limits
    // (≤ 100 entries, ≤ 4 KiB) and the form's value limit, so which of the two refuses it is an
    // implementation detail: either way a 400, never a 5xx.
    [Theory]
    [InlineData(10_000, 2)]
    [InlineData(1, 1024 * 1024)]
    [InlineData(101, 4)]
    [InlineData(1, 4097)]
    public async Task An_oversized_scope_is_refused_with_400(int entries, int entryLength)
    {
        var scope = string.Join(' ', Enumerable.Range(0, entries).Select(i => (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(entryLength, 'a')));

        var response = await _client.PostC1Async(scope);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Contains(body.GetProperty("error").GetString(), new[] { "invalid_scope", "invalid_request" });
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    // CVE-2026-4634, the "deeply repeated values" variant under the size limits: duplicates collapse.
    [Fact]
    public async Task A_repeated_scope_value_is_granted_once()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await _client.PostC1Async(string.Join(' ', Enumerable.Repeat("api.read", 100))));

        Assert.Equal("api.read", body.GetProperty("scope").GetString());
    }

    // ASVS 15.3.7: a parameter included more than once.
    [Theory]
    [InlineData("grant_type=client_credentials&grant_type=client_credentials")]
    [InlineData("grant_type=client_credentials&scope=api.read&scope=api.write")]
    [InlineData("grant_type=client_credentials&client_id=C1&client_id=C1")]
    [InlineData("grant_type=client_credentials&client_id=C1&client_id=C2")]
    [InlineData("grant_type=client_credentials&grant_type=password")]
    public async Task A_repeated_parameter_is_invalid_request(string body)
    {
        var response = await _client.PostTokenAsync(body, C1Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // ASVS 15.3.7 for body credentials: two client_secret values.
    [Fact]
    public async Task A_repeated_client_secret_is_invalid_request()
    {
        var response = await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret), ("client_secret", "other")));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // ASVS 4.1.4: only POST; never a token.
    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Methods_other_than_post_are_405(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Protocol.TokenPath + "?grant_type=client_credentials");
        request.Headers.Authorization = C1Basic;
        if (method != "GET")
        {
            request.Content = new StringContent(ClientCredentials, Encoding.UTF8, Protocol.FormContentType);
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // RFC 6749 §3.2: the body is application/x-www-form-urlencoded; anything else is a protocol error,
    // answered as such (not 415 from routing, not 500).
    [Fact]
    public async Task A_json_body_is_invalid_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Protocol.TokenPath)
        {
            Content = new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = C1Basic;

        await OAuthAssert.TokenErrorAsync(await _client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_multipart_body_is_invalid_request()
    {
        using var content = new MultipartFormDataContent { { new StringContent("client_credentials"), "grant_type" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, Protocol.TokenPath) { Content = content };
        request.Headers.Authorization = C1Basic;

        await OAuthAssert.TokenErrorAsync(await _client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task No_body_at_all_is_invalid_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Protocol.TokenPath);
        request.Headers.Authorization = C1Basic;

        await OAuthAssert.TokenErrorAsync(await _client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_request");
    }

    // a 10 MB body is refused without being processed.
    [Fact]
    public async Task A_10_mb_body_is_refused_with_a_4xx()
    {
        var body = "grant_type=client_credentials&scope=" + new string('a', 10 * 1024 * 1024);

        var response = await _client.PostTokenAsync(body, C1Basic);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // the same without a Content-Length (chunked), so only the reading limits can stop it.
    [Fact]
    public async Task A_10_mb_body_without_content_length_is_refused_with_a_4xx()
    {
        var bytes = Encoding.ASCII.GetBytes("grant_type=client_credentials&extra=" + new string('a', 10 * 1024 * 1024));
        using var request = new HttpRequestMessage(HttpMethod.Post, Protocol.TokenPath)
        {
            Content = new StreamContent(new UnknownLengthStream(bytes)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Protocol.FormContentType);
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = C1Basic;

        var response = await _client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // Malformed Authorization headers: the header was used, so 401 invalid_client.
    public static TheoryData<string> MalformedBasic => new()
    {
        "Basic !!!",
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("C1-without-a-colon")),
        "Basic " + Convert.ToBase64String([0xC3, 0x28, 0xFF, 0xFE, (byte)':', 0x80, 0x81]),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + TestClients.C1Secret)),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("C1:")),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("C1%zz:" + TestClients.C1Secret)),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("C1:" + new string('s', 600))),
        "Basic",
        "Basic ",
        "Bearer x",
        "Digest username=\"C1\"",
        "x",
    };

    [Theory]
    [MemberData(nameof(MalformedBasic))]
    public async Task A_malformed_authorization_header_is_401_invalid_client(string authorization)
    {
        using var request = Protocol.TokenRequest(ClientCredentials);
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));

        await OAuthAssert.TokenErrorAsync(await _client.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Two_authorization_headers_are_refused()
    {
        using var request = Protocol.TokenRequest(ClientCredentials);
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", [C1Basic.ToString(), C1Basic.ToString()]));

        var response = await _client.SendAsync(request);

        // Two values may reach the server as two headers or as one comma-joined header: either way
        // it must not authenticate.
        Assert.InRange((int)response.StatusCode, 400, 401);
        var body = await response.JsonAsync();
        Assert.Contains(body.GetProperty("error").GetString(), new[] { "invalid_request", "invalid_client" });
    }

    // RFC 6749 Appendix A.1: client-id is VSCHAR; anything else is refused as invalid_client, not a 500.
    public static TheoryData<string> InvalidClientIds => new()
    {
        "C1\n",
        "C1\r\nX-Injected: 1",
        "C1\u0000",
        "C\u00e91",
        new string('c', 201),
        new string('c', 10_000),
    };

    [Theory]
    [MemberData(nameof(InvalidClientIds))]
    public async Task An_invalid_client_id_in_the_body_is_refused_with_400(string clientId)
    {
        var response = await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", TestClients.CPSecret)));

        // ASP.NET Core's form reader already refuses a NUL (invalid_request); everything else reaches
        // the client_id check (invalid_client).
        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, clientId.Contains('\0', StringComparison.Ordinal) ? "invalid_request" : "invalid_client");
    }

    [Theory]
    [MemberData(nameof(InvalidClientIds))]
    public async Task An_invalid_client_id_in_basic_is_invalid_client(string clientId)
    {
        var response = await _client.PostTokenAsync(ClientCredentials, Protocol.Basic(clientId, TestClients.C1Secret));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    // Invalid percent-encoding in the body is lenient input, never a 5xx.
    [Theory]
    [InlineData("grant_type=%zz")]
    [InlineData("grant_type=client_credentials&scope=%")]
    [InlineData("grant_type=client_credentials%zz")]
    [InlineData("grant_type%zz=client_credentials")]
    [InlineData("grant_type=client_credentials&scope=%C3%28")]
    [InlineData("=&&&=")]
    public async Task Invalid_percent_encoding_is_a_4xx(string body)
    {
        var response = await _client.PostTokenAsync(body, C1Basic);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A readable stream that does not report its length, so the request is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
