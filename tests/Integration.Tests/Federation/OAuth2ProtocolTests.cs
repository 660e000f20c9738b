using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using AuthService.Integration.Tests.Federation.Upstreams;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// <c>OAuth2Protocol</c> over HTTP against <see cref="FakeGitHub"/>: the GitHub preset (numeric id as the subject, the
/// e-mail list's verified entries only, the login as the name's fallback, JSON asked of the token endpoint, a User-Agent
/// on the API) and a generic OAuth 2.0 provider reading mapped members; replayed codes, a wrong secret, a declined
/// authorization, an upstream that is down.
/// </summary>
public sealed class OAuth2ProtocolTests : IAsyncLifetime
{
    private static readonly Uri RedirectUri = new("http://127.0.0.1:9/account/external/github/callback");

    private readonly UpstreamProtocolHost _host = new();
    private FakeGitHub _github = null!;

    private IUpstreamProtocol Protocol => _host.OAuth2;

    public Task InitializeAsync()
    {
        _github = new FakeGitHub(RedirectUri.AbsoluteUri);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task GitHub_gives_the_numeric_id_the_verified_primary_address_and_the_name()
    {
        var provider = GitHub();
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri, loginHint: FakeGitHub.Octo.Login);

        var url = await Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(_github.AuthorizationEndpoint, url.GetLeftPart(UriPartial.Path));
        Assert.Equal(("read:user user:email", "S256", FakeGitHub.Octo.Login, challenge.State), (query["scope"].ToString(), query["code_challenge_method"].ToString(), query["login"].ToString(), query["state"].ToString()));
        Assert.False(query.ContainsKey("nonce"));

        var outcome = await CompleteAsync(provider, challenge, FakeGitHub.Octo);

        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(new UpstreamIdentity("583231", "octo@users.example", true, "Octo Cat", []), identity with { Methods = [] });
        Assert.Empty(identity.Methods);
        Assert.Equal("application/json", Assert.Single(_github.TokenRequestAcceptHeaders));
    }

    [Fact]
    public async Task GitHub_takes_the_first_verified_address_when_the_primary_is_not_and_the_login_when_there_is_no_name()
    {
        var outcome = await CompleteAsync(GitHub(), UpstreamProtocolHost.Challenge(RedirectUri), FakeGitHub.Nameless);

        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(("1002", "nameless-work@users.example", true, "nameless-dev"), (identity.Subject, identity.Email, identity.EmailVerified, identity.Name));
    }

    [Fact]
    public async Task GitHub_with_no_verified_address_gives_the_primary_as_unverified()
    {
        var outcome = await CompleteAsync(GitHub(), UpstreamProtocolHost.Challenge(RedirectUri), FakeGitHub.Unverified);

        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(("1003", "una@users.example", false), (identity.Subject, identity.Email, identity.EmailVerified));
    }

    [Fact]
    public async Task GitHub_without_the_email_scope_gives_only_the_public_address_unverified()
    {
        // The profile's "email" is whatever the person made public: never a verified address.
        var provider = GitHub(scopes: ["read:user"]);

        var outcome = await CompleteAsync(provider, UpstreamProtocolHost.Challenge(RedirectUri), FakeGitHub.Octo);

        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(("octo-public@users.example", false), (identity.Email, identity.EmailVerified));
    }

    [Fact]
    public async Task A_replayed_code_is_refused_though_GitHub_says_so_with_a_200()
    {
        var provider = GitHub();
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        _github.AutoApproveAs = FakeGitHub.Octo.Login;
        var answer = await FakeGitHub.AuthorizeAsync(await Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None), RedirectUri, FakeGitHub.Octo.Login);
        var callback = UpstreamProtocolHost.Callback(challenge, answer);
        Assert.IsType<UpstreamOutcome.Authenticated>(await Protocol.CompleteAsync(provider, callback, CancellationToken.None));

        Assert.Equal(new UpstreamOutcome.Refused("token_error"), await Protocol.CompleteAsync(provider, callback, CancellationToken.None));
        Assert.DoesNotContain(answer["code"], string.Join('\n', _host.Logged), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_client_secret_or_another_verifier_is_refused()
    {
        var wrongSecret = GitHub(secret: "not-the-secret-0123456789");
        Assert.Equal(new UpstreamOutcome.Refused("token_error"), await CompleteAsync(wrongSecret, UpstreamProtocolHost.Challenge(RedirectUri), FakeGitHub.Octo));

        var provider = GitHub();
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var answer = await FakeGitHub.AuthorizeAsync(await Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None), RedirectUri, FakeGitHub.Octo.Login);
        var otherVerifier = new UpstreamCallback(answer, RedirectUri, challenge.Nonce, challenge.CodeVerifier + "x");
        Assert.Equal(new UpstreamOutcome.Refused("token_error"), await Protocol.CompleteAsync(provider, otherVerifier, CancellationToken.None));
        Assert.DoesNotContain("not-the-secret-0123456789", string.Join('\n', _host.Logged), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_authorization_is_the_person_declining()
    {
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var url = await Protocol.BuildAuthorizationUrlAsync(GitHub(), challenge, CancellationToken.None);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var fields = QueryHelpers.ParseQuery(url.Query).Select(q => new KeyValuePair<string, string>(q.Key, q.Value.ToString())).Append(new("cancel", "1"));
        using var response = await http.PostAsync(new Uri(url.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(fields));
        var answer = QueryHelpers.ParseQuery(response.Headers.Location!.Query).ToDictionary(q => q.Key, q => q.Value.ToString());

        var outcome = await Protocol.CompleteAsync(GitHub(), UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);

        Assert.Equal(new UpstreamOutcome.Refused("access_denied", Declined: true), outcome);
    }

    [Fact]
    public async Task A_generic_OAuth2_provider_reads_the_mapped_members_of_its_user_info()
    {
        // GitHub's /user has no verification flag: mapped as a generic provider, its address is never verified.
        var generic = _host.Provider("generic-oauth", new ExternalProviderSettings("Generic", FakeGitHub.ClientId, Protocol: ExternalProtocol.OAuth2,
            AuthorizationEndpoint: _github.AuthorizationEndpoint, TokenEndpoint: _github.TokenEndpoint, UserInfoEndpoint: _github.UserEndpoint,
            Scopes: ["read:user"], Claims: new ClaimMapping("login", "email", "email_verified", "name")), FakeGitHub.ClientSecret);
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri, loginHint: "someone");
        Assert.Equal("someone", QueryHelpers.ParseQuery((await Protocol.BuildAuthorizationUrlAsync(generic, challenge, CancellationToken.None)).Query)["login_hint"]);

        var outcome = await CompleteAsync(generic, challenge, FakeGitHub.Octo);

        var identity = Assert.IsType<UpstreamOutcome.Authenticated>(outcome).Identity;
        Assert.Equal(("octocat", "octo-public@users.example", false, "Octo Cat"), (identity.Subject, identity.Email, identity.EmailVerified, identity.Name));
    }

    [Fact]
    public async Task An_upstream_that_is_down_is_unavailable()
    {
        var closed = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var provider = GitHub(tokenEndpoint: $"{closed}/login/oauth/access_token");
        var challenge = UpstreamProtocolHost.Challenge(RedirectUri);
        var answer = new Dictionary<string, string> { ["code"] = "some-code", ["state"] = challenge.State };

        var outcome = await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);

        Assert.Equal(new UpstreamOutcome.Refused("token_endpoint_unavailable", Unavailable: true), outcome);
    }

    private ExternalProvider GitHub(IReadOnlyList<string>? scopes = null, string secret = FakeGitHub.ClientSecret, string? tokenEndpoint = null) =>
        _host.Provider("github", new ExternalProviderSettings("GitHub", FakeGitHub.ClientId, Preset: ExternalProviderPresets.GitHub,
            AuthorizationEndpoint: _github.AuthorizationEndpoint, TokenEndpoint: tokenEndpoint ?? _github.TokenEndpoint, UserInfoEndpoint: _github.UserEndpoint,
            Scopes: scopes), secret);

    /// <summary>Authorizes on GitHub's form as <paramref name="user"/> and completes the round trip.</summary>
    private async Task<UpstreamOutcome> CompleteAsync(ExternalProvider provider, UpstreamChallenge challenge, GitHubUser user)
    {
        var url = await Protocol.BuildAuthorizationUrlAsync(provider, challenge, CancellationToken.None);
        var answer = await FakeGitHub.AuthorizeAsync(url, RedirectUri, user.Login);
        Assert.Equal(challenge.State, answer["state"]);
        return await Protocol.CompleteAsync(provider, UpstreamProtocolHost.Callback(challenge, answer), CancellationToken.None);
    }
}
