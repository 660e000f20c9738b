using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using AuthService.Integration.Tests.Federation.Upstreams;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// The ID token rules of <c>OpenIdConnectProtocol</c> (OIDC Core §3.1.3.7) over HTTP against <see cref="StubOpenIdProvider"/>,
/// whose tokens the test writes: another audience, <c>azp</c>, a bad signature, a key that is not the upstream's, a MAC
/// or <c>none</c>, expiry, <c>at_hash</c>, UserInfo's <c>sub</c>; Microsoft's multi-tenant issuer (a <c>{tenantid}</c>
/// discovery document); Apple's preset (form_post, client_secret_post with the ES256 client secret, string booleans, the
/// name from the <c>user</c> field); HTTP Basic client authentication by default.
/// </summary>
public sealed class OpenIdConnectIdTokenTests : IAsyncLifetime
{
    private const string ClientId = "authservice-at-stub";
    private const string ClientSecret = "stub-client-secret-0123456789";
    private const string TenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";
    private const string OtherTenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private static readonly Uri RedirectUri = new("http://127.0.0.1:9/account/external/stub/callback");

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly UpstreamProtocolHost _host;
    private StubOpenIdProvider _stub = null!;

    public OpenIdConnectIdTokenTests() => _host = new UpstreamProtocolHost(_clock);

    private IUpstreamProtocol Protocol => _host.OpenIdConnect;

    public Task InitializeAsync()
    {
        _stub = new StubOpenIdProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_ID_token_gives_its_person_and_the_client_authenticates_with_HTTP_Basic_by_default()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        _stub.NextIdToken = _stub.Sign(_stub.ValidClaims(ClientId, challenge.Nonce));

        var outcome = await CompleteAsync(Provider(), challenge);

        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(new UpstreamIdentity("stub-subject-1", "stub@upstream.example", true, "Stub Person", []), identity with { Methods = [] });
        var request = Assert.Single(_stub.TokenRequests);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        Assert.Equal($"Basic {basic}", request.Authorization);
        Assert.False(request.Form.ContainsKey("client_secret"));
        Assert.Equal("authorization_code", request.Form["grant_type"]);
        Assert.Equal(challenge.CodeVerifier, request.Form["code_verifier"]);
        Assert.Equal(RedirectUri.AbsoluteUri, request.Form["redirect_uri"]);
    }

    [Fact]
    public async Task The_authorization_URL_keeps_the_endpoints_own_query()
    {
        var url = await Protocol.BuildAuthorizationUrlAsync(Provider(), UpstreamProtocolHost.Challenge(RedirectUri), CancellationToken.None);

        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal("stub", query["tenant"]);
        Assert.Equal(ClientId, query["client_id"]);
    }

    [Fact]
    public async Task An_ID_token_for_another_audience_is_refused()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var claims = _stub.ValidClaims(ClientId, challenge.Nonce);
        claims["aud"] = "another-app";
        _stub.NextIdToken = _stub.Sign(claims);

        Assert.Equal(new UpstreamOutcome.Refused("id_token_audience"), await CompleteAsync(Provider(), challenge));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("another-app", false)]
    [InlineData(ClientId, true)]
    public async Task With_several_audiences_the_azp_must_be_this_client(string? azp, bool accepted)
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var claims = _stub.ValidClaims(ClientId, challenge.Nonce);
        claims["aud"] = new[] { ClientId, "another-app" };
        if (azp is not null)
        {
            claims["azp"] = azp;
        }

        _stub.NextIdToken = _stub.Sign(claims);

        var outcome = await CompleteAsync(Provider(), challenge);

        Assert.Equal(accepted, outcome is UpstreamOutcome.Authenticated);
        if (!accepted)
        {
            Assert.Equal(new UpstreamOutcome.Refused("id_token_audience"), outcome);
        }
    }

    [Fact]
    public async Task An_ID_token_with_a_tampered_payload_is_refused()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var token = _stub.Sign(_stub.ValidClaims(ClientId, challenge.Nonce)).Split('.');
        var changed = _stub.ValidClaims(ClientId, challenge.Nonce);
        changed["sub"] = "someone-else";
        _stub.NextIdToken = $"{token[0]}.{_stub.Sign(changed).Split('.')[1]}.{token[2]}";

        Assert.Equal(new UpstreamOutcome.Refused("id_token_signature"), await CompleteAsync(Provider(), challenge));
    }

    [Fact]
    public async Task An_ID_token_signed_by_a_key_that_is_not_the_upstreams_is_refused()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _stub.NextIdToken = _stub.Sign(_stub.ValidClaims(ClientId, challenge.Nonce),
            new SigningCredentials(new ECDsaSecurityKey(attackerKey) { KeyId = _stub.KeyId }, SecurityAlgorithms.EcdsaSha256));

        Assert.Equal(new UpstreamOutcome.Refused("id_token_signature"), await CompleteAsync(Provider(), challenge));
    }

    [Fact]
    public async Task A_rotated_key_is_fetched_on_its_unknown_kid_but_not_more_often_than_every_30_seconds()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        _stub.NextIdToken = _stub.Sign(_stub.ValidClaims(ClientId, challenge.Nonce));
        Assert.IsType<UpstreamOutcome.Authenticated>(await CompleteAsync(Provider(), challenge));
        Assert.Equal(1, _stub.KeySetRequests);

        // Within 30 s of the last fetch an unknown kid does not make the server fetch again (no fetch per request).
        _stub.RotateKey();
        _stub.NextIdToken = _stub.Sign(_stub.ValidClaims(ClientId, challenge.Nonce));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new UpstreamOutcome.Refused("id_token_signature"), await CompleteAsync(Provider(), challenge));
        Assert.Equal(1, _stub.KeySetRequests);

        _clock.Advance(TimeSpan.FromSeconds(21));
        Assert.IsType<UpstreamOutcome.Authenticated>(await CompleteAsync(Provider(), challenge));
        Assert.Equal(2, _stub.KeySetRequests);
    }

    [Fact]
    public async Task A_token_endpoint_redirecting_elsewhere_is_not_followed()
    {
        await using var elsewhere = new StubOpenIdProvider();
        _stub.RedirectTokenRequestsTo = $"{elsewhere.BaseAddress}/token";
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);

        Assert.Equal(new UpstreamOutcome.Refused("token_error"), await CompleteAsync(Provider(), challenge));
        Assert.Single(_stub.TokenRequests);
        Assert.Empty(elsewhere.TokenRequests);
    }

    [Fact]
    public async Task An_ID_token_with_a_MAC_keyed_with_the_client_secret_or_no_signature_is_refused()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var claims = _stub.ValidClaims(ClientId, challenge.Nonce);
        var mac = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ClientSecret.PadRight(32, '0')));
        _stub.NextIdToken = _stub.Sign(claims, new SigningCredentials(mac, SecurityAlgorithms.HmacSha256));
        Assert.Equal(new UpstreamOutcome.Refused("id_token_invalid"), await CompleteAsync(Provider(), challenge));

        var unsigned = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor { Claims = claims });
        _stub.NextIdToken = unsigned;
        Assert.Equal(new UpstreamOutcome.Refused("id_token_invalid"), await CompleteAsync(Provider(), challenge));
    }

    [Fact]
    public async Task An_expired_ID_token_or_one_without_iat_is_refused()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var expired = _stub.ValidClaims(ClientId, challenge.Nonce);
        expired["exp"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        expired["iat"] = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds();
        _stub.NextIdToken = _stub.Sign(expired);
        Assert.Equal(new UpstreamOutcome.Refused("id_token_expired"), await CompleteAsync(Provider(), challenge));

        var noIat = _stub.ValidClaims(ClientId, challenge.Nonce);
        noIat.Remove("iat");
        _stub.NextIdToken = _stub.Sign(noIat);
        Assert.Equal(new UpstreamOutcome.Refused("id_token_invalid"), await CompleteAsync(Provider(), challenge));
    }

    [Fact]
    public async Task An_ID_token_from_another_issuer_is_refused()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        _stub.NextIdToken = _stub.Sign(_stub.ValidClaims(ClientId, challenge.Nonce, issuer: "https://other-provider.example"));

        Assert.Equal(new UpstreamOutcome.Refused("id_token_issuer"), await CompleteAsync(Provider(), challenge));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_at_hash_when_present_must_be_the_access_tokens(bool matching)
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var claims = _stub.ValidClaims(ClientId, challenge.Nonce);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(matching ? StubOpenIdProvider.AccessToken : "another-access-token"));
        claims["at_hash"] = Base64UrlEncoder.Encode(hash[..16]);
        _stub.NextIdToken = _stub.Sign(claims);

        var outcome = await CompleteAsync(Provider(), challenge);

        Assert.Equal(matching, outcome is UpstreamOutcome.Authenticated);
        if (!matching)
        {
            Assert.Equal(new UpstreamOutcome.Refused("at_hash_mismatch"), outcome);
        }
    }

    [Theory]
    [InlineData("stub-subject-1", true)]
    [InlineData("someone-else", false)]
    public async Task UserInfo_completes_a_missing_address_only_when_its_sub_is_the_ID_tokens(string userInfoSubject, bool accepted)
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var claims = _stub.ValidClaims(ClientId, challenge.Nonce);
        claims.Remove("email");
        claims.Remove("email_verified");
        _stub.NextIdToken = _stub.Sign(claims);
        _stub.UserInfo = new() { ["sub"] = userInfoSubject, ["email"] = "from-userinfo@upstream.example", ["email_verified"] = false };

        var outcome = await CompleteAsync(Provider(), challenge);

        if (accepted)
        {
            var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
            Assert.Equal(("from-userinfo@upstream.example", false, "Stub Person"), (identity.Email, identity.EmailVerified, identity.Name));
        }
        else
        {
            Assert.Equal(new UpstreamOutcome.Refused("userinfo_subject_mismatch"), outcome);
        }
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_is_not_read()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var claims = _stub.ValidClaims(ClientId, challenge.Nonce);
        claims.Remove("email");
        _stub.NextIdToken = _stub.Sign(claims);
        _stub.UserInfo = new() { ["sub"] = "stub-subject-1", ["email"] = "big@upstream.example", ["padding"] = new string('x', 300 * 1024) };

        Assert.Equal(new UpstreamOutcome.Refused("userinfo_unavailable", Unavailable: true), await CompleteAsync(Provider(), challenge));
    }

    [Fact]
    public async Task Microsoft_accepts_the_issuer_of_the_tokens_own_tenant_and_refuses_another_tenants()
    {
        // The multi-tenant discovery document names https://login.microsoftonline.com/{tenantid}/v2.0 ("Validate the issuer").
        _stub.DocumentIssuer = $"{_stub.BaseAddress}/{{tenantid}}/v2.0";
        var microsoft = _host.Provider("microsoft", new ExternalProviderSettings("Microsoft", ClientId, Preset: ExternalProviderPresets.Microsoft,
            Issuer: $"{_stub.BaseAddress}/common/v2.0"), ClientSecret);

        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var own = _stub.ValidClaims(ClientId, challenge.Nonce, issuer: $"{_stub.BaseAddress}/{TenantId}/v2.0");
        own["tid"] = TenantId;
        _stub.NextIdToken = _stub.Sign(own);
        Assert.IsType<UpstreamOutcome.Authenticated>(await CompleteAsync(microsoft, challenge));

        var other = _stub.ValidClaims(ClientId, challenge.Nonce, issuer: $"{_stub.BaseAddress}/{OtherTenantId}/v2.0");
        other["tid"] = TenantId;
        _stub.NextIdToken = _stub.Sign(other);
        Assert.Equal(new UpstreamOutcome.Refused("id_token_issuer"), await CompleteAsync(microsoft, challenge));

        var noTenant = _stub.ValidClaims(ClientId, challenge.Nonce, issuer: $"{_stub.BaseAddress}/{TenantId}/v2.0");
        _stub.NextIdToken = _stub.Sign(noTenant);
        Assert.Equal(new UpstreamOutcome.Refused("id_token_issuer"), await CompleteAsync(microsoft, challenge));

        var template = _stub.ValidClaims(ClientId, challenge.Nonce, issuer: _stub.DocumentIssuer);
        template["tid"] = "{tenantid}";
        _stub.NextIdToken = _stub.Sign(template);
        Assert.Equal(new UpstreamOutcome.Refused("id_token_issuer"), await CompleteAsync(microsoft, challenge));
    }

    [Fact]
    public async Task A_tenantid_template_in_the_discovery_document_is_refused_for_any_provider_but_Microsoft()
    {
        _stub.DocumentIssuer = $"{_stub.BaseAddress}/{{tenantid}}/v2.0";
        var generic = _host.Provider("generic", new ExternalProviderSettings("Generic", ClientId, Issuer: $"{_stub.BaseAddress}/common/v2.0"), ClientSecret);

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() =>
            Protocol.BuildAuthorizationUrlAsync(generic, UpstreamProtocolHost.Challenge(RedirectUri), CancellationToken.None));
    }

    [Fact]
    public async Task Apple_answers_by_form_post_authenticates_with_its_ES256_client_secret_and_names_the_person_once()
    {
        using var teamKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _stub.AuthMethods = ["client_secret_post"];
        var apple = _host.Provider("apple", new ExternalProviderSettings("Apple", "com.example.signin", Preset: ExternalProviderPresets.Apple,
            Issuer: _stub.BaseAddress, AppleTeamId: "TEAM123456", AppleKeyId: "KEY1234567"), teamKey.ExportPkcs8PrivateKeyPem());
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);

        var url = await Protocol.BuildAuthorizationUrlAsync(apple, challenge, CancellationToken.None);
        Assert.Equal("form_post", QueryHelpers.ParseQuery(url.Query)["response_mode"]);
        Assert.Equal("openid name email", QueryHelpers.ParseQuery(url.Query)["scope"]);

        var claims = _stub.ValidClaims("com.example.signin", challenge.Nonce);
        claims.Remove("name");
        claims["email_verified"] = "true";
        _stub.NextIdToken = _stub.Sign(claims);
        var answer = new Dictionary<string, string>
        {
            ["code"] = "apple-code",
            ["state"] = challenge.State,
            ["user"] = """{"name":{"firstName":"Ada","lastName":"Apple"},"email":"stub@upstream.example"}""",
        };
        var outcome = await Protocol.CompleteAsync(apple, UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);

        Assert.True(outcome is UpstreamOutcome.Authenticated, outcome.ToString());
        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(("stub@upstream.example", true, "Ada Apple"), (identity.Email, identity.EmailVerified, identity.Name));
        var request = Assert.Single(_stub.TokenRequests);
        Assert.True(string.IsNullOrEmpty(request.Authorization));
        Assert.Equal("com.example.signin", request.Form["client_id"]);
        var secret = new JsonWebToken(request.Form["client_secret"]);
        Assert.Equal(("ES256", "KEY1234567", "TEAM123456", "com.example.signin"), (secret.Alg, secret.Kid, secret.Issuer, secret.Subject));
    }

    private ExternalProvider Provider() =>
        _host.Provider("stub", new ExternalProviderSettings("Stub", ClientId, Issuer: _stub.BaseAddress), ClientSecret);

    private Task<UpstreamOutcome> CompleteAsync(ExternalProvider provider, UpstreamChallenge challenge) =>
        Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, new Dictionary<string, string> { ["code"] = "stub-code", ["state"] = challenge.State }),
            CancellationToken.None);
}
