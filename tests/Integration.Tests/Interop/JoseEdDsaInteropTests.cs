using AuthService.Domain.SigningKeys;
using AuthService.Integration.Tests.BrowserTests;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>The flow server with EdDSA access tokens (<c>Auth:AccessTokenSigningAlgorithm</c>) and EdDSA ID tokens for client BR.</summary>
public sealed class EdDsaFlowServer : BrowserFlowServer
{
    protected override string? AccessTokenSigningAlgorithm => SigningAlgorithms.EdDSA;

    protected override string? IdTokenSignedResponseAlg => SigningAlgorithms.EdDSA;
}

/// <summary>
/// RFC 8037 interoperability: the same oauth4webapi flow against a server signing everything with Ed25519;
/// the npm package <c>jose</c> verifies the EdDSA ID token and access token with the OKP key it fetches from
/// the JWKS, and refuses the access token once its payload is changed.
/// </summary>
public sealed class JoseEdDsaInteropTests(EdDsaFlowServer server, ITestOutputHelper output) : IClassFixture<EdDsaFlowServer>
{
    [Fact]
    public async Task Jose_verifies_EdDSA_ID_and_access_tokens_against_the_published_JWKS()
    {
        var (summary, diagnostics) = await NodeScript.RunForSummaryAsync(server.Process, output,
            "flow.mjs", server.Issuer, BrowserFlowServer.ClientId, BrowserFlowServer.ClientSecret, server.Callback.RedirectUri,
            BrowserFlowServer.Username, BrowserFlowServer.Password, SigningAlgorithms.EdDSA);

        Assert.Equal("EdDSA", summary.GetProperty("id_token_alg").GetString());
        Assert.Equal("EdDSA", summary.GetProperty("access_token_alg").GetString());
        Assert.True(summary.GetProperty("jose_id_token_verified").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("jose_access_token_verified").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("jose_refuses_tampered_token").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("introspection_active").GetBoolean(), diagnostics);
        Assert.Equal(summary.GetProperty("sub").GetString(), summary.GetProperty("userinfo_sub").GetString());
    }
}
