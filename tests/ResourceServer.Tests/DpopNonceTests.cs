using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>Server-provided DPoP nonces at the resource server (RFC 9449 §9), when the API requires them.</summary>
public sealed class DpopNonceTests : IAsyncLifetime
{
    private const string OrdersUrl = ProtectedApi.Origin + "/orders";

    private readonly TestSigningKey _clientKey = TestSigningKey.Es256("client");
    private FakeAuthority _authority = null!;
    private ProtectedApi _api = null!;

    private DateTimeOffset Now => _api.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _authority = await FakeAuthority.StartAsync();
        _api = await ProtectedApi.StartAsync(_authority, o => o.Dpop.RequireNonce = true);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task A_proof_without_a_nonce_gets_use_dpop_nonce_and_one_then_the_retry_with_it_succeeds()
    {
        var token = Tokens.DpopBound(_authority.Es256, Now, _clientKey);

        var first = await _api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now)]);

        first.AssertError(401, "DPoP", "use_dpop_nonce");
        var nonce = first.Headers["DPoP-Nonce"].ToString();
        Assert.False(string.IsNullOrEmpty(nonce));
        var retry = await _api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: p => p["nonce"] = nonce)]);
        Assert.Equal(200, retry.Status);
    }

    [Fact]
    public async Task An_expired_or_forged_nonce_gets_use_dpop_nonce()
    {
        var token = Tokens.DpopBound(_authority.Es256, Now, _clientKey);
        var first = await _api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now)]);
        var nonce = first.Headers["DPoP-Nonce"].ToString();

        _api.Clock.Advance(TimeSpan.FromMinutes(5));
        var expired = await _api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: p => p["nonce"] = nonce)]);
        var forged = await _api.SendAsync("GET", "/orders", "DPoP " + token, [Proofs.For(_clientKey, "GET", OrdersUrl, token, Now, payload: p => p["nonce"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]);

        expired.AssertError(401, "DPoP", "use_dpop_nonce");
        forged.AssertError(401, "DPoP", "use_dpop_nonce");
        Assert.NotEqual(nonce, expired.Headers["DPoP-Nonce"].ToString());
    }
}
