using AuthService.Domain.Clients;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

/// <summary>
/// The key, certificate, sender-constraint and profile metadata (RFC 7591 §2, RFC 8705 §2.1.2, RFC 9449 §5.2,
/// RFC 9126 §6, RFC 9101 §10.5): what registration accepts, and each invalid combination refused under its field.
/// </summary>
public class ClientCredentialMetadataTests
{
    private const string EcPublicJwks =
        """{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

    private static ClientSettings KeyClient(string method = TokenEndpointAuthMethods.PrivateKeyJwt) =>
        Confidential() with { TokenEndpointAuthMethod = method, Jwks = EcPublicJwks };

    [Fact]
    public void A_private_key_jwt_client_registers_with_its_public_keys_and_no_secret()
    {
        var client = Client.Register("svc", KeyClient() with { TokenEndpointAuthSigningAlg = JwsAlgorithms.ES256 }, secret: null, Now);

        Assert.Equal(ClientType.Confidential, client.Type);
        Assert.Empty(client.Secrets);
        Assert.Equal(EcPublicJwks, client.Jwks);
        Assert.Equal(JwsAlgorithms.ES256, client.TokenEndpointAuthSigningAlg);
    }

    [Fact]
    public void A_key_method_client_never_holds_a_secret() =>
        AssertRefused("client_secret", () => Client.Register("svc", KeyClient(), Secret(), Now));

    [Theory]
    [InlineData(TokenEndpointAuthMethods.PrivateKeyJwt)]
    [InlineData(TokenEndpointAuthMethods.SelfSignedTlsClientAuth)]
    public void A_key_method_without_keys_is_refused(string method) =>
        AssertRefused("jwks", () => Client.Register("svc", Confidential() with { TokenEndpointAuthMethod = method }, null, Now));

    [Fact]
    public void Jwks_and_jwks_uri_together_are_refused() =>
        AssertRefused("jwks", () => Client.Register("svc", KeyClient() with { JwksUri = "https://svc.example/jwks" }, null, Now));

    [Theory]
    [InlineData("""{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"private"}]}""", "private member \"d\"")]
    [InlineData("""{"keys":[{"kty":"RSA","n":"a","e":"AQAB","p":"x"}]}""", "private member \"p\"")]
    [InlineData("""{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""", "symmetric keys are never registered")]
    [InlineData("""{"keys":[]}""", "1 to 20 keys")]
    [InlineData("""{"kty":"EC"}""", "JWK Set")]
    [InlineData("""[1,2]""", "JWK Set")]
    [InlineData("""{"keys":[{"kty":"EC","kid":"a"},{"kty":"EC","kid":"a"}]}""", "unique")]
    [InlineData("""not json""", "not valid JSON")]
    public void Invalid_jwks_is_refused_and_says_why(string jwks, string why)
    {
        var refused = AssertRefused("jwks", () => Client.Register("svc", KeyClient() with { Jwks = jwks }, null, Now));

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://svc.example/jwks")]
    [InlineData("ftp://svc.example/jwks")]
    [InlineData("https://svc.example/jwks#frag")]
    [InlineData("https://user:pw@svc.example/jwks")]
    [InlineData("/relative/jwks")]
    public void An_unsafe_jwks_uri_is_refused(string uri) =>
        AssertRefused("jwks_uri", () => Client.Register("svc", Confidential() with { TokenEndpointAuthMethod = TokenEndpointAuthMethods.PrivateKeyJwt, JwksUri = uri }, null, Now));

    [Theory]
    [InlineData("https://svc.example/.well-known/jwks.json")]
    [InlineData("http://127.0.0.1:8080/jwks")]
    [InlineData("http://localhost/jwks")]
    public void An_https_or_loopback_jwks_uri_is_accepted(string uri) =>
        Assert.Equal(uri, Client.Register("svc", Confidential() with { TokenEndpointAuthMethod = TokenEndpointAuthMethods.PrivateKeyJwt, JwksUri = uri }, null, Now).JwksUri);

    [Theory]
    [InlineData(TokenEndpointAuthMethods.PrivateKeyJwt, JwsAlgorithms.HS256)]
    [InlineData(TokenEndpointAuthMethods.PrivateKeyJwt, "none")]
    [InlineData(TokenEndpointAuthMethods.ClientSecretJwt, JwsAlgorithms.RS256)]
    [InlineData(TokenEndpointAuthMethods.ClientSecretBasic, JwsAlgorithms.ES256)]
    public void An_assertion_algorithm_that_does_not_fit_the_method_is_refused(string method, string alg)
    {
        var settings = (method == TokenEndpointAuthMethods.PrivateKeyJwt ? KeyClient() : Confidential() with { TokenEndpointAuthMethod = method })
            with { TokenEndpointAuthSigningAlg = alg };

        AssertRefused("token_endpoint_auth_signing_alg", () => Client.Register("svc", settings, Secret(), Now, protectedSecret: [1, 2, 3]));
    }

    [Fact]
    public void A_client_secret_jwt_secret_is_kept_encrypted_beside_its_hash()
    {
        var settings = Confidential() with { TokenEndpointAuthMethod = TokenEndpointAuthMethods.ClientSecretJwt, TokenEndpointAuthSigningAlg = JwsAlgorithms.HS256 };

        var client = Client.Register("svc", settings, Secret(), Now, protectedSecret: [9, 8, 7]);

        Assert.Equal([9, 8, 7], Assert.Single(client.Secrets).ProtectedValue);
    }

    [Fact]
    public void A_client_secret_jwt_secret_without_its_encrypted_value_is_refused() =>
        AssertRefused("client_secret", () => Client.Register(
            "svc", Confidential() with { TokenEndpointAuthMethod = TokenEndpointAuthMethods.ClientSecretJwt }, Secret(), Now));

    [Fact]
    public void A_rotated_client_secret_jwt_secret_needs_its_encrypted_value_too()
    {
        var client = Client.Register("svc", Confidential() with { TokenEndpointAuthMethod = TokenEndpointAuthMethods.ClientSecretJwt }, Secret(), Now, [1]);

        AssertRefused("client_secret", () => client.RotateSecret(Secret("second-secret-0123456789"), Now, Now));
        Assert.NotNull(client.RotateSecret(Secret("second-secret-0123456789"), Now, Now, [2]).ProtectedValue);
    }

    [Fact]
    public void A_client_without_a_secret_method_cannot_be_given_a_secret()
    {
        var client = Client.Register("svc", KeyClient(), null, Now);

        AssertRefused("client_secret", () => client.RotateSecret(Secret(), Now, Now));
        AssertRefused("client_secret", () => client.AddSecret(Secret(), Now));
    }

    [Fact]
    public void Switching_from_a_secret_method_to_keys_drops_the_secrets()
    {
        var client = RegisterConfidential();

        Assert.True(client.UpdateSettings(KeyClient(), Now.AddMinutes(1)));

        Assert.Empty(client.Secrets);
        Assert.Equal(TokenEndpointAuthMethods.PrivateKeyJwt, client.TokenEndpointAuthMethod);
    }

    [Fact]
    public void Switching_from_keys_to_a_secret_method_is_refused_because_there_is_no_secret()
    {
        var client = Client.Register("svc", KeyClient(), null, Now);

        AssertRefused("token_endpoint_auth_method", () => client.UpdateSettings(Confidential(), Now.AddMinutes(1)));
        Assert.Equal(TokenEndpointAuthMethods.PrivateKeyJwt, client.TokenEndpointAuthMethod);
    }

    [Theory]
    [InlineData("CN=svc.example, O=Example Corp, C=NL", null)]
    [InlineData(null, "svc.example.com")]
    public void A_tls_client_auth_client_registers_one_expected_name(string? subjectDn, string? sanDns)
    {
        var client = Client.Register("svc", Confidential() with
        {
            TokenEndpointAuthMethod = TokenEndpointAuthMethods.TlsClientAuth,
            TlsClientAuthSubjectDn = subjectDn,
            TlsClientAuthSanDns = sanDns,
        }, null, Now);

        Assert.Equal(subjectDn, client.TlsClientAuthSubjectDn);
        Assert.Equal(sanDns, client.TlsClientAuthSanDns);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("CN=svc", "svc.example.com")]
    public void A_tls_client_auth_client_without_exactly_one_expected_name_is_refused(string? subjectDn, string? sanDns) =>
        AssertRefused("tls_client_auth_subject_dn", () => Client.Register("svc", Confidential() with
        {
            TokenEndpointAuthMethod = TokenEndpointAuthMethods.TlsClientAuth,
            TlsClientAuthSubjectDn = subjectDn,
            TlsClientAuthSanDns = sanDns,
        }, null, Now));

    [Fact]
    public void Certificate_names_on_a_client_that_does_not_use_tls_client_auth_are_refused() =>
        AssertRefused("tls_client_auth_subject_dn", () => Client.Register("svc", Confidential() with { TlsClientAuthSubjectDn = "CN=svc" }, Secret(), Now));

    [Fact]
    public void A_san_dns_that_is_not_a_dns_name_is_refused() =>
        AssertRefused("tls_client_auth_san_dns", () => Client.Register("svc", Confidential() with
        {
            TokenEndpointAuthMethod = TokenEndpointAuthMethods.TlsClientAuth,
            TlsClientAuthSanDns = "not a host/name",
        }, null, Now));

    [Theory]
    [InlineData("none")]
    [InlineData(JwsAlgorithms.HS256)]
    [InlineData("ES257")]
    public void A_request_object_algorithm_must_be_asymmetric(string alg) =>
        AssertRefused("request_object_signing_alg", () => Client.Register("svc", Confidential() with { RequestObjectSigningAlg = alg }, Secret(), Now));

    [Fact]
    public void Dpop_and_par_flags_are_kept()
    {
        var client = Client.Register("spa", Public() with { DPoPBoundAccessTokens = true, RequirePushedAuthorizationRequests = true }, null, Now);

        Assert.True(client.DPoPBoundAccessTokens);
        Assert.True(client.RequirePushedAuthorizationRequests);
    }

    // RFC 8705 §3.4: off by default; turning it on is a change of the registration.
    [Fact]
    public void The_certificate_bound_tokens_flag_is_kept_and_changing_it_reconfigures()
    {
        var client = Client.Register("svc", Confidential(), Secret(), Now);
        Assert.False(client.TlsClientCertificateBoundAccessTokens);

        Assert.True(client.Reconfigure(Confidential() with { TlsClientCertificateBoundAccessTokens = true }, null, Now.AddMinutes(1)));

        Assert.True(client.TlsClientCertificateBoundAccessTokens);
    }

    private static ClientSettings Fapi() => KeyClient() with
    {
        GrantTypes = [GrantTypes.AuthorizationCode],
        RedirectUris = ["https://bank.example/cb"],
        Profile = ClientProfiles.Fapi2,
        IdTokenSignedResponseAlg = JwsAlgorithms.ES256,
        TokenEndpointAuthSigningAlg = JwsAlgorithms.PS256,
    };

    [Fact]
    public void A_fapi2_client_registers_with_a_fapi_method_and_algorithms() =>
        Assert.Equal(ClientProfiles.Fapi2, Client.Register("bank", Fapi(), null, Now).Profile);

    [Fact]
    public void An_unknown_profile_is_refused() =>
        AssertRefused("profile", () => Client.Register("bank", Fapi() with { Profile = "fapi1" }, null, Now));

    [Theory]
    [InlineData(TokenEndpointAuthMethods.ClientSecretBasic)]
    [InlineData(TokenEndpointAuthMethods.ClientSecretJwt)]
    [InlineData(TokenEndpointAuthMethods.None)]
    public void A_fapi2_client_with_a_secret_or_no_authentication_is_refused(string method) =>
        AssertRefused("token_endpoint_auth_method", () => Client.Register(
            "bank", Fapi() with { TokenEndpointAuthMethod = method, Jwks = null, TokenEndpointAuthSigningAlg = null }, method == TokenEndpointAuthMethods.None ? null : Secret(), Now, [1]));

    [Fact]
    public void A_fapi2_client_signing_with_rs256_is_refused()
    {
        AssertRefused("token_endpoint_auth_signing_alg", () => Client.Register("bank", Fapi() with { TokenEndpointAuthSigningAlg = JwsAlgorithms.RS256 }, null, Now));
        AssertRefused("request_object_signing_alg", () => Client.Register("bank", Fapi() with { RequestObjectSigningAlg = JwsAlgorithms.RS256 }, null, Now));
        AssertRefused("id_token_signed_response_alg", () => Client.Register("bank", Fapi() with { IdTokenSignedResponseAlg = JwsAlgorithms.RS256 }, null, Now));
    }

    [Fact]
    public void Re_applying_the_same_credential_metadata_changes_nothing()
    {
        var client = Client.Register("bank", Fapi(), null, Now);

        Assert.False(client.Reconfigure(Fapi(), null, Now.AddMinutes(1)));
        Assert.True(client.Reconfigure(Fapi() with { DPoPBoundAccessTokens = true }, null, Now.AddMinutes(1)));
    }
}
