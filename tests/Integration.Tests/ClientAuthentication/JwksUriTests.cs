using System.Net;
using AuthService.Infrastructure.Security.Outbound;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.ClientAuthentication.ClientAssertionFixture;

namespace AuthService.Integration.Tests.ClientAuthentication;

/// <summary>
/// private_key_jwt with keys published at the client's <c>jwks_uri</c> (RFC 7591 §2), fetched from a loopback Kestrel
/// (allowed by <c>Auth:ClientJwksUriAllowLoopback</c>), and the server-side request forgery defences of the fetcher.
/// </summary>
public sealed class JwksUriTests(ClientAssertionFixture server) : IClassFixture<ClientAssertionFixture>
{
    private readonly HttpClient _client = server.Client;

    // An unknown kid fetches the set again (at most once per Auth:ClientJwksUriRefetchSeconds): a client can rotate keys.
    [Fact]
    public async Task Keys_are_fetched_from_the_jwks_uri_and_a_rotated_key_is_picked_up()
    {
        await OAuthAssert.TokenSuccessAsync(await _client.TokenAsync(Assertions.Es256(Assertions.Claims(UriClient), server.UriKey1, "uri-1")));

        server.ServedJwks = Set(Jwk(server.UriKey2, "uri-2")).ToJsonString();
        var rotated = Assertions.Es256(Assertions.Claims(UriClient), server.UriKey2, "uri-2");
        var response = await Poll.UntilAsync(
            async () => await _client.TokenAsync(rotated),
            r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20),
            "the rotated key to be fetched",
            r => r.StatusCode.ToString());
        await OAuthAssert.TokenSuccessAsync(response);
    }

    [Theory]
    [InlineData(PrivateAddressClient)]
    [InlineData(RedirectClient)]
    [InlineData(OversizeClient)]
    [InlineData(SlowClient)]
    public async Task A_jwks_uri_that_cannot_be_fetched_safely_fails_authentication_with_invalid_client(string clientId)
    {
        await Assertions.InvalidClientAsync(await _client.TokenAsync(Assertions.Es256(Assertions.Claims(clientId), server.UriKey1, "uri-1")));
    }

    // CWE-918: every range that reaches inside the network, whatever the DNS answer was.
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("::")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    public void Internal_addresses_are_never_connected_to(string address)
    {
        Assert.False(OutboundAddressRules.IsPermitted(IPAddress.Parse(address), allowLoopback: true));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_is_connected_to_only_when_allowed(string address)
    {
        Assert.False(OutboundAddressRules.IsPermitted(IPAddress.Parse(address), allowLoopback: false));
        Assert.True(OutboundAddressRules.IsPermitted(IPAddress.Parse(address), allowLoopback: true));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    public void Public_addresses_are_connected_to(string address)
    {
        Assert.True(OutboundAddressRules.IsPermitted(IPAddress.Parse(address), allowLoopback: false));
    }
}
