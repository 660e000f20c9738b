using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.MutualTls;

/// <summary>
/// RFC 8705 against the real server process: client authentication with certificates on the mutual-TLS listener
/// (§2), certificate-bound access and refresh tokens (§3, §4), the trusted proxy header, and discovery (§5).
/// </summary>
public sealed class MutualTlsTests(MutualTlsServer server) : IClassFixture<MutualTlsServer>
{
    private TestCertificates Certificates => server.Certificates;

    [Fact]
    public async Task Tls_client_auth_by_subject_dn_issues_a_token_bound_to_the_certificate()
    {
        using var http = server.MutualTls(Certificates.Client);
        var body = await OAuthAssert.TokenSuccessAsync(await ClientCredentialsAsync(http, MutualTlsServer.DnClient));

        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal(TestCertificates.Thumbprint(Certificates.Client), X5tS256(token));
    }

    // FAPI 2.0 Security Profile §5.3.2.1: sender-constrained by the certificate (RFC 8705 §3), no DPoP proof needed.
    [Fact]
    public async Task A_fapi2_client_over_mutual_tls_gets_a_certificate_bound_token_without_a_proof()
    {
        using var http = server.MutualTls(Certificates.Client);
        var body = await OAuthAssert.TokenSuccessAsync(await ClientCredentialsAsync(http, MutualTlsServer.FapiClient));

        Assert.Equal(TestCertificates.Thumbprint(Certificates.Client), X5tS256(body.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task Tls_client_auth_by_san_dns_name_authenticates()
    {
        using var http = server.MutualTls(Certificates.Client);
        var body = await OAuthAssert.TokenSuccessAsync(await ClientCredentialsAsync(http, MutualTlsServer.SanClient));

        Assert.Equal(TestCertificates.Thumbprint(Certificates.Client), X5tS256(body.GetProperty("access_token").GetString()!));
    }

    [Theory]
    [InlineData(MutualTlsServer.DnClient)]
    [InlineData(MutualTlsServer.SanClient)]
    public async Task A_certificate_of_the_trusted_ca_for_another_subject_is_refused(string clientId)
    {
        using var http = server.MutualTls(Certificates.OtherSubject);
        await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(http, clientId), HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused_even_with_the_registered_subject()
    {
        using var http = server.MutualTls(Certificates.FromOtherCa);
        await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(http, MutualTlsServer.DnClient), HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task An_expired_certificate_is_refused()
    {
        using var http = server.MutualTls(Certificates.Expired);
        await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(http, MutualTlsServer.DnClient), HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task Without_a_certificate_a_tls_client_auth_client_is_refused_on_both_listeners()
    {
        using var mutualTls = server.MutualTls(certificate: null);
        await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(mutualTls, MutualTlsServer.DnClient), HttpStatusCode.BadRequest, "invalid_client");

        using var plain = server.Plain();
        await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(plain, MutualTlsServer.DnClient), HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task A_tls_client_auth_client_sending_a_secret_uses_a_method_it_did_not_register()
    {
        using var http = server.MutualTls(Certificates.Client);
        var response = await http.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", MutualTlsServer.DnClient), ("client_secret", "anything-0123456789")));
        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task Self_signed_tls_client_auth_accepts_the_registered_certificate_only()
    {
        using (var registered = server.MutualTls(Certificates.SelfSigned))
        {
            var body = await OAuthAssert.TokenSuccessAsync(await ClientCredentialsAsync(registered, MutualTlsServer.SelfSignedClient));
            Assert.Equal(TestCertificates.Thumbprint(Certificates.SelfSigned), X5tS256(body.GetProperty("access_token").GetString()!));
        }

        // Same subject, another key; and a CA-issued certificate: neither is in the client's x5c.
        foreach (var other in new[] { Certificates.OtherSelfSigned, Certificates.Client })
        {
            using var http = server.MutualTls(other);
            await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(http, MutualTlsServer.SelfSignedClient), HttpStatusCode.BadRequest, "invalid_client");
        }
    }

    [Fact]
    public async Task A_secret_client_presenting_a_certificate_authenticates_with_its_secret_and_gets_a_bound_token()
    {
        using var http = server.MutualTls(Certificates.OtherSubject);
        var body = await OAuthAssert.TokenSuccessAsync(await http.PostC1Async());
        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal(TestCertificates.Thumbprint(Certificates.OtherSubject), X5tS256(token));

        // Introspection (on the normal listener, by C1 with its secret) shows the confirmation (RFC 8705 §3.2).
        using var plain = server.Plain();
        var introspection = await BackChannel.ActiveAsync(await plain.IntrospectAsync(token, BackChannel.C1Basic));
        Assert.Equal(TestCertificates.Thumbprint(Certificates.OtherSubject), introspection.GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(["x5t#S256"], introspection.GetProperty("cnf").EnumerateObject().Select(member => member.Name));

        // Over plain HTTP no certificate exists: the same secret gets a bearer token.
        var bearer = await OAuthAssert.TokenSuccessAsync(await plain.PostC1Async());
        Assert.False(AccessTokens.Read(bearer.GetProperty("access_token").GetString()!).TryGetPayloadValue<JsonElement>("cnf", out _));
    }

    // RFC 8705 §3.4: a client registered with tls_client_certificate_bound_access_tokens gets only certificate-bound
    // tokens: any certificate on the mutual-TLS listener binds the token; no certificate (either listener) gets nothing.
    [Fact]
    public async Task A_client_requiring_certificate_bound_tokens_gets_none_without_a_certificate()
    {
        var form = () => Protocol.Form(("grant_type", "client_credentials"));
        var basic = Protocol.Basic(MutualTlsServer.BoundClient, MutualTlsServer.BoundClientSecret);

        using var holder = server.MutualTls(Certificates.OtherSubject);
        var body = await OAuthAssert.TokenSuccessAsync(await holder.PostTokenAsync(form(), basic));
        Assert.Equal(TestCertificates.Thumbprint(Certificates.OtherSubject), X5tS256(body.GetProperty("access_token").GetString()!));

        using var plain = server.Plain();
        await OAuthAssert.TokenErrorAsync(await plain.PostTokenAsync(form(), basic), HttpStatusCode.BadRequest, "invalid_request");
        using var withoutCertificate = server.MutualTls(null);
        await OAuthAssert.TokenErrorAsync(await withoutCertificate.PostTokenAsync(form(), basic), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Introspection_and_revocation_authenticate_a_tls_client_auth_client()
    {
        using var http = server.MutualTls(Certificates.Client);
        var token = (await OAuthAssert.TokenSuccessAsync(await ClientCredentialsAsync(http, MutualTlsServer.DnClient))).GetProperty("access_token").GetString()!;

        var introspection = await BackChannel.ActiveAsync(await http.PostTokenAsync(
            Protocol.Form(("token", token), ("client_id", MutualTlsServer.DnClient)), path: BackChannel.IntrospectionPath));
        Assert.Equal(TestCertificates.Thumbprint(Certificates.Client), introspection.GetProperty("cnf").GetProperty("x5t#S256").GetString());

        using var wrong = server.MutualTls(Certificates.FromOtherCa);
        await OAuthAssert.TokenErrorAsync(await wrong.PostTokenAsync(
            Protocol.Form(("token", token), ("client_id", MutualTlsServer.DnClient)), path: BackChannel.RevocationPath), HttpStatusCode.BadRequest, "invalid_client");

        await BackChannel.RevokedAsync(await http.PostTokenAsync(
            Protocol.Form(("token", token), ("client_id", MutualTlsServer.DnClient)), path: BackChannel.RevocationPath));
        using var plain = server.Plain();
        await BackChannel.InactiveAsync(await plain.IntrospectAsync(token, BackChannel.C1Basic), "revoked by its client over mTLS");
    }

    [Fact]
    public async Task A_stolen_certificate_bound_token_is_refused_at_userinfo_without_or_with_another_certificate()
    {
        using var holder = server.MutualTls(Certificates.SelfSigned);
        var tokens = await PublicClientTokensAsync(holder);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(TestCertificates.Thumbprint(Certificates.SelfSigned), X5tS256(accessToken));

        using var plain = server.Plain();
        await AssertInvalidTokenAsync(await UserInfoAsync(plain, accessToken));
        using var thief = server.MutualTls(Certificates.OtherSelfSigned);
        await AssertInvalidTokenAsync(await UserInfoAsync(thief, accessToken));

        var answer = await UserInfoAsync(holder, accessToken);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_public_clients_refresh_token_is_bound_to_its_certificate()
    {
        using var holder = server.MutualTls(Certificates.SelfSigned);
        var refreshToken = (await PublicClientTokensAsync(holder)).GetProperty("refresh_token").GetString()!;

        using var thief = server.MutualTls(Certificates.OtherSelfSigned);
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RefreshAsync(thief, SignInClients.PN, null, refreshToken), HttpStatusCode.BadRequest, "invalid_grant");
        using var plain = server.Plain();
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RefreshAsync(plain, SignInClients.PN, null, refreshToken), HttpStatusCode.BadRequest, "invalid_grant");

        var refreshed = await OAuthAssert.TokenSuccessAsync(await CodeFlowTokens.RefreshAsync(holder, SignInClients.PN, null, refreshToken), codeFlow: true);
        Assert.Equal(TestCertificates.Thumbprint(Certificates.SelfSigned), X5tS256(refreshed.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task The_admin_api_refuses_a_certificate_bound_token_without_its_certificate()
    {
        using var holder = server.MutualTls(Certificates.Client);
        var token = (await OAuthAssert.TokenSuccessAsync(await holder.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;

        using var plain = server.Plain();
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminGetAsync(plain, token)).StatusCode);
        using var other = server.MutualTls(Certificates.OtherSubject);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminGetAsync(other, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdminGetAsync(holder, token)).StatusCode);
    }

    [Fact]
    public async Task The_certificate_header_is_believed_from_a_trusted_proxy_only()
    {
        var header = Uri.EscapeDataString(TestCertificates.Pem(Certificates.Client));

        using var proxy = server.Plain(IPAddress.Loopback);
        var body = await OAuthAssert.TokenSuccessAsync(await ClientCredentialsAsync(proxy, MutualTlsServer.DnClient, header));
        Assert.Equal(TestCertificates.Thumbprint(Certificates.Client), X5tS256(body.GetProperty("access_token").GetString()!));

        // 127.0.0.2 is loopback too, but not a configured proxy: the header is a client's claim, ignored and logged.
        using var spoofer = server.Plain(IPAddress.Parse("127.0.0.2"));
        await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(spoofer, MutualTlsServer.DnClient, header), HttpStatusCode.BadRequest, "invalid_client");
        Assert.True(await server.Process.WaitForOutputAsync("client_certificate_header_untrusted", TimeSpan.FromSeconds(10)), server.Output);

        // A secret client behind the untrusted address gets a bearer token: the claimed certificate binds nothing.
        var bearer = await OAuthAssert.TokenSuccessAsync(await spoofer.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C1, TestClients.C1Secret)));
        Assert.False(AccessTokens.Read(bearer.GetProperty("access_token").GetString()!).TryGetPayloadValue<JsonElement>("cnf", out _));
    }

    [Fact]
    public async Task Discovery_publishes_the_mutual_tls_aliases_and_certificate_bound_tokens()
    {
        using var plain = server.Plain();
        var metadata = await (await plain.GetAsync("/.well-known/openid-configuration")).JsonAsync();

        Assert.True(metadata.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        var aliases = metadata.GetProperty("mtls_endpoint_aliases");
        var origin = $"https://issuer.test:{server.MutualTlsPort}";
        Assert.Equal($"{origin}/connect/token", aliases.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{origin}/connect/introspect", aliases.GetProperty("introspection_endpoint").GetString());
        Assert.Equal($"{origin}/connect/revoke", aliases.GetProperty("revocation_endpoint").GetString());
        Assert.Equal($"{origin}/connect/userinfo", aliases.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal($"{origin}/connect/par", aliases.GetProperty("pushed_authorization_request_endpoint").GetString());
        Assert.Equal($"{origin}/connect/deviceauthorization", aliases.GetProperty("device_authorization_endpoint").GetString());
        var methods = metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains("tls_client_auth", methods);
        Assert.Contains("self_signed_tls_client_auth", methods);
    }

    private static async Task<HttpResponseMessage> ClientCredentialsAsync(HttpClient http, string clientId, string? certificateHeader = null)
    {
        using var request = Protocol.TokenRequest(Protocol.Form(("grant_type", "client_credentials"), ("client_id", clientId)));
        if (certificateHeader is not null)
        {
            request.Headers.Add(MutualTlsServer.CertificateHeader, certificateHeader);
        }

        return await http.SendAsync(request);
    }

    private static string? X5tS256(string accessToken) =>
        AccessTokens.Read(accessToken).TryGetPayloadValue<JsonElement>("cnf", out var cnf) && cnf.TryGetProperty("x5t#S256", out var x5t)
            ? x5t.GetString()
            : null;

    /// <summary>The code flow of the public client PN over the mutual-TLS listener, redeemed with <paramref name="holder"/>'s certificate.</summary>
    private async Task<JsonElement> PublicClientTokensAsync(HttpClient holder)
    {
        var pkce = PkcePair.New();
        using var browser = new Browser(server.MutualTls(certificate: null, cookies: true));
        var code = await browser.CodeAsync(SignInClients.PN, SignInClients.PNRedirect, "openid profile offline_access", pkce);
        return await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(holder, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect), codeFlow: true);
    }

    private static Task<HttpResponseMessage> UserInfoAsync(HttpClient http, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http.SendAsync(request);
    }

    private static async Task AssertInvalidTokenAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> AdminGetAsync(HttpClient http, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/clients");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http.SendAsync(request);
    }
}
