using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>Server-provided DPoP nonces at the resource server (RFC 9449 §9), when the API requires them.</summary>
public sealed class DpopNonceTests : ApiTests
{
    private const string OrdersUrl = ProtectedApi.Origin + "/orders";

    private readonly TestSigningKey _clientKey = TestSigningKey.Es256("client");
    protected override void Configure(AuthServiceTokenOptions options) => options.Dpop.RequireNonce = true;

    [Fact]
    public async Task A_proof_without_a_nonce_gets_use_dpop_nonce_and_one_then_the_retry_with_it_succeeds()
    {
        var token = Tokens.DpopBound(Authority.Es256, Now, _clientKey);

        var first = await Api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now)]);

        first.AssertError(401, "DPoP", "use_dpop_nonce");
        var nonce = first.Headers["DPoP-Nonce"].ToString();
        Assert.False(string.IsNullOrEmpty(nonce));
        var retry = await Api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: p => p["nonce"] = nonce)]);
        Assert.Equal(200, retry.Status);
    }

    [Fact]
    public async Task An_expired_or_forged_nonce_gets_use_dpop_nonce()
    {
        var token = Tokens.DpopBound(Authority.Es256, Now, _clientKey);
        var first = await Api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now)]);
        var nonce = first.Headers["DPoP-Nonce"].ToString();

        Api.Clock.Advance(TimeSpan.FromMinutes(5));
        var expired = await Api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: p => p["nonce"] = nonce)]);
        var forged = await Api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: p => p["nonce"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]);

        expired.AssertError(401, "DPoP", "use_dpop_nonce");
        forged.AssertError(401, "DPoP", "use_dpop_nonce");
        Assert.NotEqual(nonce, expired.Headers["DPoP-Nonce"].ToString());
    }
}
