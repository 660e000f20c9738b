using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using AuthService.Integration.Tests.Federation.Upstreams;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Federation;

/// <summary>The upstream OpenID Provider process and the server's protocols, shared by the tests of one class.</summary>
public sealed class OidcUpstreamFixture : IAsyncLifetime
{
    /// <summary>Registered at the upstream; never requested (the tests stop at the upstream's redirect to it).</summary>
    public static readonly Uri RedirectUri = new("http://127.0.0.1:9/account/external/upstream/callback");

    public OidcUpstream Upstream { get; private set; } = null!;

    public UpstreamProtocolHost Host { get; } = new();

    public async Task InitializeAsync() => Upstream = await OidcUpstream.StartAsync([RedirectUri.AbsoluteUri]);

    public async Task DisposeAsync()
    {
        Host.Dispose();
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}

/// <summary>
/// <c>OpenIdConnectProtocol</c> against a real OpenID Provider (oidc-provider, <see cref="OidcUpstream"/>) over HTTP:
/// discovery, the code flow with PKCE, nonce and RFC 9207 <c>iss</c>, the ID token's validation and UserInfo (this upstream
/// puts e-mail and name only there), and the refusals: wrong nonce, mix-up (<c>iss</c>), replayed code, a code of another
/// client, a discovery document naming another issuer, an upstream that is down.
/// </summary>
public sealed class OpenIdConnectProtocolTests(OidcUpstreamFixture fixture) : IClassFixture<OidcUpstreamFixture>
{
    private OidcUpstream Upstream => fixture.Upstream;

    private IUpstreamProtocol Protocol => fixture.Host.OpenIdConnect;

    [Theory]
    [InlineData("ann")]
    [InlineData("uma")]
    public async Task A_round_trip_gives_the_upstream_person_with_the_address_as_verified_as_the_upstream_says(string login)
    {
        var account = login == "ann" ? OidcUpstream.Ann : OidcUpstream.Uma;
        var provider = Provider();
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri, loginHint: account.Email);

        var url = await Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.StartsWith($"{Upstream.Issuer}/auth?", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(OidcUpstream.ClientId, query["client_id"]);
        Assert.Equal("openid email profile", query["scope"]);
        Assert.Equal(challenge.State, query["state"]);
        Assert.Equal(challenge.Nonce, query["nonce"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(account.Email, query["login_hint"]);
        Assert.False(query.ContainsKey("response_mode"));

        var answer = await OidcUpstream.SignInAsync(url, login, OidcUpstreamFixture.RedirectUri);
        Assert.Equal(challenge.State, answer["state"]);
        Assert.Equal(Upstream.Issuer, answer["iss"]);

        var outcome = await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);

        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(account.Login, identity.Subject);
        Assert.Equal(account.Email, identity.Email);
        Assert.Equal(account.EmailVerified, identity.EmailVerified);
        Assert.Equal(account.Name, identity.Name);
        Assert.Equal(OidcUpstream.Methods, identity.Methods);
        AssertNothingSecretLogged(answer["code"]);
    }

    [Fact]
    public async Task The_challenge_S256_is_the_hash_of_the_verifier_the_token_request_proves()
    {
        // A verifier that does not match the challenge is refused by the upstream (RFC 7636 §4.6): the protocol sends
        // the S256 of the flow's verifier, and the verifier itself only to the token endpoint.
        var provider = Provider();
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);
        var answer = await SignInAsync(provider, challenge, "ann");

        var wrongVerifier = new UpstreamCallback(answer, challenge.RedirectUri, challenge.Nonce, challenge.CodeVerifier + "x");
        var outcome = await Protocol.CompleteAsync(provider, wrongVerifier, CancellationToken.None);

        Assert.Equal(new UpstreamOutcome.Refused("token_error"), outcome);
    }

    [Fact]
    public async Task An_ID_token_with_another_nonce_is_refused()
    {
        var provider = Provider();
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);
        var answer = await SignInAsync(provider, challenge, "ann");

        var otherNonce = new UpstreamCallback(answer, challenge.RedirectUri, "another-round-trips-nonce", challenge.CodeVerifier);
        var outcome = await Protocol.CompleteAsync(provider, otherNonce, CancellationToken.None);

        Assert.Equal(new UpstreamOutcome.Refused("nonce_mismatch"), outcome);
    }

    [Fact]
    public async Task A_replayed_answer_is_refused_because_the_upstream_code_is_single_use()
    {
        var provider = Provider();
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);
        var answer = await SignInAsync(provider, challenge, "ned");
        var callback = UpstreamProtocolHost.Callback(challenge, answer);
        Assert.IsType<UpstreamOutcome.Authenticated>(await Protocol.CompleteAsync(provider, callback, CancellationToken.None));

        var replay = await Protocol.CompleteAsync(provider, callback, CancellationToken.None);

        Assert.Equal(new UpstreamOutcome.Refused("token_error"), replay);
        AssertNothingSecretLogged(answer["code"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1")]
    [InlineData("https://other-provider.example")]
    [InlineData(null)]
    public async Task An_answer_naming_another_issuer_or_none_is_refused_as_a_mix_up(string? iss)
    {
        // RFC 9207 §2.4: this upstream says authorization_response_iss_parameter_supported, so iss must be there and be its own.
        var provider = Provider();
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);
        var answer = await SignInAsync(provider, challenge, "ann");
        answer.Remove("iss");
        if (iss is not null)
        {
            answer["iss"] = iss;
        }

        var outcome = await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);

        Assert.Equal(new UpstreamOutcome.Refused("issuer_mismatch"), outcome);
    }

    [Fact]
    public async Task A_code_issued_to_another_client_is_refused()
    {
        // The person signs in to another application at the same upstream; its code is then sent to this server's callback.
        var other = Provider(clientId: OidcUpstream.OtherClientId, secret: OidcUpstream.OtherClientSecret, name: "upstream-other");
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);
        var answer = await SignInAsync(other, challenge, "ann");

        var outcome = await Protocol.CompleteAsync(Provider(), UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);

        Assert.Equal(new UpstreamOutcome.Refused("token_error"), outcome);
    }

    [Fact]
    public async Task An_upstream_error_answer_is_a_refusal_and_access_denied_is_the_person_declining()
    {
        var provider = Provider();
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);
        var declined = new Dictionary<string, string> { ["error"] = "access_denied", ["state"] = challenge.State, ["iss"] = Upstream.Issuer };
        var odd = new Dictionary<string, string> { ["error"] = "<script>", ["state"] = challenge.State, ["iss"] = Upstream.Issuer };
        var noCode = new Dictionary<string, string> { ["state"] = challenge.State, ["iss"] = Upstream.Issuer };

        Assert.Equal(new UpstreamOutcome.Refused("access_denied", Declined: true),
            await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, declined), CancellationToken.None));
        Assert.Equal(new UpstreamOutcome.Refused("upstream_error"),
            await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, odd), CancellationToken.None));
        Assert.Equal(new UpstreamOutcome.Refused("missing_code"),
            await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, noCode), CancellationToken.None));
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_refused()
    {
        // The same upstream addressed as localhost: its document says 127.0.0.1 (OIDC Discovery §4.3).
        var provider = Provider(issuer: Upstream.Issuer.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), name: "upstream-alias");
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None));
        var outcome = await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, new Dictionary<string, string> { ["code"] = "c" }), CancellationToken.None);
        Assert.Equal(new UpstreamOutcome.Refused("discovery_unavailable", Unavailable: true), outcome);
    }

    [Fact]
    public async Task An_upstream_that_is_down_is_unavailable_never_an_exception_on_the_callback()
    {
        var provider = Provider(issuer: $"http://127.0.0.1:{ServerProcess.FreePort()}", name: "upstream-down");
        var challenge = UpstreamProtocolHost.Challenge(OidcUpstreamFixture.RedirectUri);

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None));
        var answer = new Dictionary<string, string> { ["code"] = "some-code", ["state"] = challenge.State };
        var outcome = await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);

        var refused = Assert.IsType<UpstreamOutcome.Refused>(outcome);
        Assert.True(refused.Unavailable);
    }

    private ExternalProvider Provider(string? clientId = null, string? secret = null, string? issuer = null, string name = "upstream") =>
        fixture.Host.Provider(name, new ExternalProviderSettings("Upstream", clientId ?? OidcUpstream.ClientId, Issuer: issuer ?? Upstream.Issuer),
            secret ?? OidcUpstream.ClientSecret);

    private async Task<Dictionary<string, string>> SignInAsync(ExternalProvider provider, UpstreamChallenge challenge, string login)
    {
        var url = await Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None);
        return await OidcUpstream.SignInAsync(url, login, challenge.RedirectUri);
    }

    private void AssertNothingSecretLogged(string code)
    {
        var log = string.Join('\n', fixture.Host.Logged);
        Assert.DoesNotContain(code, log, StringComparison.Ordinal);
        Assert.DoesNotContain(OidcUpstream.ClientSecret, log, StringComparison.Ordinal);
    }
}
