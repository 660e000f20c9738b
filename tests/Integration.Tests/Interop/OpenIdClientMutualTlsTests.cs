using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.MutualTls;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>
/// <see cref="MutualTlsServer"/> whose issuer is its plain listener's address (openid-client discovers it there and
/// insists they match, RFC 8414 §3.3), plus a code-flow client authenticating with tls_client_auth by subject DN.
/// </summary>
public sealed class OpenIdClientMutualTlsServer : MutualTlsServer
{
    public const string CodeFlowClientId = "MT-CODE";

    /// <summary>On loopback (RFC 8252 §7.3); never contacted: the browser stand-in stops at the redirect to it.</summary>
    public const string RedirectUri = "http://127.0.0.1/openid-client-mtls/callback";

    public string Issuer => BaseAddress.GetLeftPart(UriPartial.Authority);

    protected override string IssuerFor(Uri plainListener) => plainListener.GetLeftPart(UriPartial.Authority);

    protected override void AddToSeed(JsonObject seed)
    {
        var client = TestClients.Client(CodeFlowClientId, null, "tls_client_auth", ["authorization_code", "refresh_token"],
            "openid profile email offline_access", [RedirectUri]);
        client["tls_client_auth_subject_dn"] = TestCertificates.ClientDn;
        client["require_pushed_authorization_requests"] = true;
        seed["clients"]!.AsArray().Add(client);
    }
}

/// <summary>
/// Interoperability of RFC 8705: the npm package <c>openid-client</c>, unmodified, with <c>TlsClientAuth()</c>,
/// <c>use_mtls_endpoint_aliases</c> and a <c>customFetch</c> presenting the test CA's client certificate through an
/// undici Agent (<c>openid-client-mtls.mjs</c>), against the server process with its mutual-TLS listener.
/// </summary>
public sealed class OpenIdClientMutualTlsTests(OpenIdClientMutualTlsServer server, ITestOutputHelper output)
    : IClassFixture<OpenIdClientMutualTlsServer>
{
    [Fact]
    public async Task Openid_client_gets_a_certificate_bound_token_with_tls_client_auth()
    {
        var (summary, diagnostics) = await RunAsync(MutualTlsServer.DnClient, "client_credentials", "api.read");

        Assert.Equal("bearer", summary.GetProperty("token_type").GetString()!.ToLowerInvariant());
        Assert.Equal("api.read", summary.GetProperty("scope").GetString());
        // RFC 8705 §3.1: bound to the certificate openid-client presented, also as introspection reports it (§3.2).
        var thumbprint = TestCertificates.Thumbprint(server.Certificates.Client);
        Assert.Equal(thumbprint, summary.GetProperty("cnf_x5t_s256").GetString());
        Assert.True(summary.GetProperty("introspection_active").GetBoolean(), diagnostics);
        Assert.Equal(thumbprint, summary.GetProperty("introspection_cnf_x5t_s256").GetString());
        // RFC 8705 §5: openid-client went to the aliases on the mutual-TLS listener.
        var fetched = Fetched(summary);
        Assert.Contains(server.MutualTlsAddress.GetLeftPart(UriPartial.Authority) + "/connect/token", fetched);
        Assert.Contains(server.MutualTlsAddress.GetLeftPart(UriPartial.Authority) + "/connect/introspect", fetched);
    }

    [Fact]
    public async Task Openid_client_runs_the_code_flow_with_par_and_tls_client_auth()
    {
        var (summary, diagnostics) = await RunAsync(OpenIdClientMutualTlsServer.CodeFlowClientId, "code",
            OpenIdClientMutualTlsServer.RedirectUri, SignInClients.AliceUsername, SignInClients.AlicePassword);

        Assert.Equal(server.Issuer, summary.GetProperty("iss_in_response").GetString());
        Assert.Contains("sign-in", summary.GetProperty("pages").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("bearer", summary.GetProperty("token_type").GetString()!.ToLowerInvariant());
        var thumbprint = TestCertificates.Thumbprint(server.Certificates.Client);
        Assert.Equal(thumbprint, summary.GetProperty("cnf_x5t_s256").GetString());
        Assert.Equal(thumbprint, summary.GetProperty("refreshed_cnf_x5t_s256").GetString());
        var sub = summary.GetProperty("sub").GetString();
        Assert.False(string.IsNullOrEmpty(sub), diagnostics);
        Assert.Equal(sub, summary.GetProperty("userinfo_sub").GetString());
        Assert.True(summary.GetProperty("refused_without_certificate").GetBoolean(), diagnostics);

        var mutualTls = server.MutualTlsAddress.GetLeftPart(UriPartial.Authority);
        var fetched = Fetched(summary);
        Assert.Contains(mutualTls + "/connect/par", fetched);
        Assert.Contains(mutualTls + "/connect/token", fetched);
        Assert.Contains(mutualTls + "/connect/userinfo", fetched);
    }

    private async Task<(JsonElement Summary, string Diagnostics)> RunAsync(string clientId, params string[] modeAndArguments)
    {
        using var key = server.Certificates.Client.GetECDsaPrivateKey()!;
        return await NodeScript.RunForSummaryAsync(server.Process, output,
            ["openid-client-mtls.mjs", server.Issuer, clientId, TestCertificates.Pem(server.Certificates.Client), key.ExportPkcs8PrivateKeyPem(),
                TestCertificates.Pem(server.Certificates.Server), .. modeAndArguments]);
    }

    private static string?[] Fetched(JsonElement summary) =>
        [.. summary.GetProperty("fetched").EnumerateArray().Select(u => u.GetString())];
}
