using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.MutualTls;

namespace AuthService.Integration.Tests.Hosting;

/// <summary>
/// The mutual-TLS server (a real process over TCP) with <c>Auth:ForwardedHeaders:TrustedProxies</c> = 127.0.0.1, the same
/// address its certificate header is believed from, and two sign-up posts per address and minute. Connections from 127.0.0.1
/// are the proxy's; 127.0.0.2 and up are loopback as well, so trusted by ASP.NET Core's defaults, but not configured: they are
/// clients talking to the server directly.
/// </summary>
public sealed class ForwardedHeadersServer : MutualTlsServer
{
    public const int SignUpPerMinute = 2;

    protected override void AddToEnvironment(IDictionary<string, string> environment)
    {
        environment["Auth__ForwardedHeaders__TrustedProxies"] = "127.0.0.1";
        environment["Auth__RateLimits__SignUp__PermitsPerMinute"] = SignUpPerMinute.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// X-Forwarded-For through the real HTTP pipeline (docs/adr/0045): believed from the configured proxy only, walked from the
/// right so a client cannot choose its own key, never making a client a proxy for the mutual-TLS certificate header; the
/// address it yields is the one the limits count (an IPv6 address by its /64) and the audit trail records. The budget used is
/// sign-up's (two posts per address and minute); every test spends it under addresses of its own.
/// </summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersServer server) : IClassFixture<ForwardedHeadersServer>
{
    private static readonly IPAddress Proxy = IPAddress.Loopback;

    /// <summary>One sign-up post from <paramref name="http"/>'s address; with <paramref name="forwardedFor"/>, one X-Forwarded-For header.</summary>
    private static async Task<HttpStatusCode> SignUpAsync(HttpClient http, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/register")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "x" }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Spends one address's whole sign-up budget, each post with the X-Forwarded-For that <paramref name="forwardedFor"/> gives for it.</summary>
    private static async Task SpendBudgetAsync(HttpClient http, Func<int, string?> forwardedFor)
    {
        for (var i = 0; i < ForwardedHeadersServer.SignUpPerMinute; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignUpAsync(http, forwardedFor(i)));
        }
    }

    [Fact]
    public async Task From_a_peer_that_is_not_a_trusted_proxy_X_Forwarded_For_is_ignored_and_the_peer_is_counted()
    {
        using var client = server.Plain(IPAddress.Parse("127.0.0.2"));

        // Another made-up address every time: believed, each would be a new budget and nothing would ever be refused.
        await SpendBudgetAsync(client, i => $"198.51.100.{i + 1}");

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(client, "198.51.100.99"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(client, null));
    }

    [Fact]
    public async Task From_the_trusted_proxy_each_forwarded_client_has_its_own_budget()
    {
        using var proxy = server.Plain(Proxy);

        await SpendBudgetAsync(proxy, _ => "203.0.113.10");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "203.0.113.10"));

        // Another client behind the same proxy, and the proxy's own requests, are counted apart.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "203.0.113.11"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, null));
    }

    [Fact]
    public async Task A_client_cannot_choose_its_key_by_writing_entries_left_of_what_the_proxy_appended()
    {
        using var proxy = server.Plain(Proxy);

        // The client sent "X-Forwarded-For: <anything>", and the proxy appended the address it saw: the right-most entry counts.
        await SpendBudgetAsync(proxy, i => $"192.0.2.{i + 1}, 203.0.113.20");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "192.0.2.77, 203.0.113.20"));

        // Naming the trusted proxy itself changes nothing: the walk stops at the first untrusted hop from the right.
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "127.0.0.1, 203.0.113.20"));

        // Through two trusted hops (the inner one appended 127.0.0.1), the client is the first untrusted entry from the right.
        await SpendBudgetAsync(proxy, i => $"192.0.2.{i + 10}, 203.0.113.21, 127.0.0.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "203.0.113.21"));
    }

    [Fact]
    public async Task IPv6_clients_are_counted_by_their_64_and_IPv4_mapped_ones_as_IPv4()
    {
        using var proxy = server.Plain(Proxy);

        await SpendBudgetAsync(proxy, i => $"2001:db8:5:6::{i + 1}");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "2001:db8:5:6:ffff:eeee:dddd:cccc"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "2001:db8:5:7::1"));

        await SpendBudgetAsync(proxy, _ => "::ffff:203.0.113.30");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignUpAsync(proxy, "203.0.113.30"));
    }

    [Fact]
    public async Task The_certificate_header_is_checked_against_the_TCP_peer_never_a_forwarded_address()
    {
        var header = Uri.EscapeDataString(TestCertificates.Pem(server.Certificates.Client));

        // A client connecting directly and claiming to be behind the trusted proxy: its certificate header is still ignored.
        using var direct = server.Plain(IPAddress.Parse("127.0.0.3"));
        foreach (var forwardedFor in new[] { "127.0.0.1", "198.51.100.5, 127.0.0.1" })
        {
            await OAuthAssert.TokenErrorAsync(
                await CertificateTokenRequestAsync(direct, header, forwardedFor), HttpStatusCode.BadRequest, "invalid_client");
        }

        Assert.True(await server.Process.WaitForOutputAsync("client_certificate_header_untrusted", TimeSpan.FromSeconds(10)), server.Output);

        // The proxy forwarding a client's request: the request's client address is the client's, yet the header is the proxy's.
        using var proxy = server.Plain(Proxy);
        await OAuthAssert.TokenSuccessAsync(await CertificateTokenRequestAsync(proxy, header, "198.51.100.5"));
    }

    [Fact]
    public async Task The_audit_trail_records_the_forwarded_client_and_a_direct_peer_as_itself()
    {
        using var proxy = server.Plain(Proxy);
        using var direct = server.Plain(IPAddress.Parse("127.0.0.4"));
        var token = (await OAuthAssert.TokenSuccessAsync(await proxy.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;

        var behindProxy = await RegisterAsync(proxy, token, "203.0.113.40");
        var spoofed = await RegisterAsync(direct, token, "203.0.113.41");

        proxy.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal("203.0.113.40", Assert.Single(await proxy.AuditAsync($"subject={behindProxy}&event_type=client.created")).GetProperty("source_address").GetString());
        Assert.Equal("127.0.0.4", Assert.Single(await proxy.AuditAsync($"subject={spoofed}&event_type=client.created")).GetProperty("source_address").GetString());
    }

    private static async Task<string> RegisterAsync(HttpClient http, string token, string forwardedFor)
    {
        var clientId = ClientAdmin.NewId("fwd");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/clients") { Content = Infrastructure.Admin.Json(ClientAdmin.Service(clientId).ToJsonString()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        await (await http.SendAsync(request)).ExpectAsync(HttpStatusCode.Created);
        return clientId;
    }

    private static async Task<HttpResponseMessage> CertificateTokenRequestAsync(HttpClient http, string certificateHeader, string forwardedFor)
    {
        using var request = Protocol.TokenRequest(Protocol.Form(("grant_type", "client_credentials"), ("client_id", MutualTlsServer.DnClient)));
        request.Headers.Add(MutualTlsServer.CertificateHeader, certificateHeader);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request);
    }
}

/// <summary>An unusable <c>Auth:ForwardedHeaders:TrustedProxies</c> refuses the start and names itself.</summary>
public sealed class ForwardedHeadersSettingsTests
{
    [Theory]
    [InlineData("proxy.example")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1, not-an-address")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public async Task An_unusable_list_of_proxies_stops_the_start_naming_the_setting(string value)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(),
            overrides: new Dictionary<string, string?> { ["Auth:ForwardedHeaders:TrustedProxies"] = value });

        var output = await server.StartExpectingFailureAsync();

        Assert.Contains("Auth:ForwardedHeaders:TrustedProxies", output, StringComparison.Ordinal);
    }
}
