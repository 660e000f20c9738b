using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.DPoP;

/// <summary>A server that requires DPoP nonces at the token endpoint (RFC 9449 §8: Auth:DPoP:RequireNonce).</summary>
public sealed class DPoPNonceFixture : DPoPFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?> { ["Auth:DPoP:RequireNonce"] = "true" };
}

/// <summary>RFC 9449 §8: use_dpop_nonce with a DPoP-Nonce header, then success with the nonce; a fresh nonce on every answer.</summary>
public sealed class DPoPNonceTests(DPoPNonceFixture fixture) : IClassFixture<DPoPNonceFixture>
{
    private readonly DPoPKey _key = DPoPKey.Es256();

    [Fact]
    public async Task A_proof_without_the_nonce_gets_use_dpop_nonce_and_one_then_succeeds_with_it()
    {
        var first = await fixture.ClientCredentialsAsync(proofs: _key.Proof());
        await OAuthAssert.TokenErrorAsync(first, HttpStatusCode.BadRequest, "use_dpop_nonce");
        var nonce = first.Header("DPoP-Nonce");
        Assert.False(string.IsNullOrEmpty(nonce));

        var second = await fixture.ClientCredentialsAsync(proofs: _key.Proof(nonce: nonce));

        await OAuthAssert.TokenSuccessAsync(second, tokenType: "DPoP");
        Assert.False(string.IsNullOrEmpty(second.Header("DPoP-Nonce")));
    }

    [Theory]
    [InlineData("made-up-nonce")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("A")]
    [InlineData("not base64!")]
    public async Task A_proof_with_a_nonce_the_server_did_not_make_gets_use_dpop_nonce(string nonce)
    {
        var response = await fixture.ClientCredentialsAsync(proofs: _key.Proof(nonce: nonce));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "use_dpop_nonce");
        Assert.False(string.IsNullOrEmpty(response.Header("DPoP-Nonce")));
    }

    [Fact]
    public async Task An_invalid_proof_is_still_invalid_dpop_proof_whatever_its_nonce() =>
        await OAuthAssert.TokenErrorAsync(await fixture.ClientCredentialsAsync(proofs: _key.Proof(method: "PUT")), HttpStatusCode.BadRequest, "invalid_dpop_proof");

    [Fact]
    public async Task Without_any_proof_a_bearer_token_is_issued() =>
        await OAuthAssert.TokenSuccessAsync(await fixture.ClientCredentialsAsync());
}
