using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.TestClients;

namespace AuthService.Application.Tests.Security;

public class ClientAuthenticatorTests
{
    private const string Remote = "203.0.113.7";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _throttle = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly ClientAuthenticator _authenticator;

    public ClientAuthenticatorTests()
    {
        _authenticator = new ClientAuthenticator(_catalog, _throttle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), _clock, NullLogger<ClientAuthenticator>.Instance);
    }

    private Task<ProtocolResult<ClientSnapshot>> Authenticate(string clientId, string? secret, PresentedAuthMethod method) =>
        _authenticator.AuthenticateAsync(new ClientCredentials(clientId, secret, method), Remote, CancellationToken.None);

    private static void AssertInvalidClient(ProtocolResult<ClientSnapshot> result)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_client", result.Error.Code);
        Assert.Null(result.Error.RetryAfter);
    }

    [Fact]
    public async Task Basic_client_presenting_its_secret_over_basic_is_authenticated()
    {
        _catalog.Add(RegisterService("svc"));

        var result = await Authenticate("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        Assert.True(result.IsSuccess);
        Assert.Equal("svc", result.Value.ClientId);
        Assert.Empty(_throttle.Failures);
    }

    [Fact]
    public async Task Post_client_presenting_its_secret_in_the_body_is_authenticated()
    {
        _catalog.Add(RegisterService("svc-post", Service(TokenEndpointAuthMethods.ClientSecretPost)));

        var result = await Authenticate("svc-post", ServiceSecret, PresentedAuthMethod.ClientSecretPost);

        Assert.True(result.IsSuccess);
        Assert.Equal("svc-post", result.Value.ClientId);
    }

    [Fact]
    public async Task Wrong_secret_is_invalid_client_and_recorded_as_a_failure()
    {
        _catalog.Add(RegisterService("svc"));

        var result = await Authenticate("svc", ServiceSecret + "x", PresentedAuthMethod.ClientSecretBasic);

        AssertInvalidClient(result);
        Assert.Equal([("svc", (string?)Remote)], _throttle.Failures);
    }

    [Fact]
    public async Task Unknown_client_is_invalid_client_and_recorded_as_a_failure()
    {
        var result = await Authenticate("nobody", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        AssertInvalidClient(result);
        Assert.Equal([("nobody", (string?)Remote)], _throttle.Failures);
    }

    [Fact]
    public async Task Unknown_client_and_wrong_secret_fail_with_the_same_error()
    {
        _catalog.Add(RegisterService("svc"));

        var unknown = await Authenticate("nobody", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);
        var wrong = await Authenticate("svc", "not-the-secret-0123456789", PresentedAuthMethod.ClientSecretBasic);

        Assert.Equal(unknown.Error, wrong.Error);
    }

    [Fact]
    public async Task Disabled_client_with_the_right_secret_is_invalid_client()
    {
        var client = RegisterService("svc");
        client.Disable(RegisteredAt);
        _catalog.Add(client);

        AssertInvalidClient(await Authenticate("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic));
        Assert.Single(_throttle.Failures);
    }

    [Fact]
    public async Task Disabled_public_client_is_invalid_client()
    {
        var client = RegisterBrowser("spa");
        client.Disable(RegisteredAt);
        _catalog.Add(client);

        AssertInvalidClient(await Authenticate("spa", null, PresentedAuthMethod.None));
    }

    [Fact]
    public async Task Expired_secret_is_invalid_client()
    {
        var client = RegisterService("svc");
        client.AddSecret(SecretHash.Compute("rotating-secret-0123456789"), RegisteredAt, RegisteredAt.AddHours(1));
        _catalog.Add(client);

        Assert.True((await Authenticate("svc", "rotating-secret-0123456789", PresentedAuthMethod.ClientSecretBasic)).IsSuccess);
        _clock.Advance(TimeSpan.FromHours(1));

        AssertInvalidClient(await Authenticate("svc", "rotating-secret-0123456789", PresentedAuthMethod.ClientSecretBasic));
        Assert.True((await Authenticate("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic)).IsSuccess);
    }

    [Fact]
    public async Task Client_with_two_valid_secrets_accepts_both()
    {
        var client = RegisterService("svc");
        client.AddSecret(SecretHash.Compute("next-secret-0123456789"), RegisteredAt);
        _catalog.Add(client);

        Assert.True((await Authenticate("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic)).IsSuccess);
        Assert.True((await Authenticate("svc", "next-secret-0123456789", PresentedAuthMethod.ClientSecretBasic)).IsSuccess);
        Assert.Empty(_throttle.Failures);
    }

    [Theory]
    [InlineData(TokenEndpointAuthMethods.ClientSecretBasic, PresentedAuthMethod.ClientSecretPost)]
    [InlineData(TokenEndpointAuthMethods.ClientSecretPost, PresentedAuthMethod.ClientSecretBasic)]
    [InlineData(TokenEndpointAuthMethods.ClientSecretBasic, PresentedAuthMethod.None)]
    [InlineData(TokenEndpointAuthMethods.ClientSecretPost, PresentedAuthMethod.None)]
    public async Task Confidential_client_presenting_another_method_is_invalid_client(string registered, PresentedAuthMethod presented)
    {
        _catalog.Add(RegisterService("svc", Service(registered)));

        AssertInvalidClient(await Authenticate("svc", ServiceSecret, presented));
        Assert.Single(_throttle.Failures);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Empty_secret_is_invalid_client(string? secret)
    {
        _catalog.Add(RegisterService("svc"));

        AssertInvalidClient(await Authenticate("svc", secret, PresentedAuthMethod.ClientSecretBasic));
    }

    [Fact]
    public async Task Public_client_presenting_none_is_authenticated()
    {
        _catalog.Add(RegisterBrowser("spa"));

        var result = await Authenticate("spa", null, PresentedAuthMethod.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(ClientType.Public, result.Value.Type);
        Assert.Empty(_throttle.Failures);
    }

    [Fact]
    public async Task Public_client_presenting_a_secret_over_basic_is_invalid_client()
    {
        _catalog.Add(RegisterBrowser("spa"));

        AssertInvalidClient(await Authenticate("spa", "made-up-secret-0123456789", PresentedAuthMethod.ClientSecretBasic));
    }

    [Fact]
    public async Task Throttled_client_gets_invalid_client_with_retry_after_and_the_catalog_is_not_consulted()
    {
        _catalog.Add(RegisterService("svc"));
        _throttle.Wait = TimeSpan.FromSeconds(42);

        var result = await Authenticate("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_client", result.Error.Code);
        Assert.Equal(TimeSpan.FromSeconds(42), result.Error.RetryAfter);
        Assert.Equal(0, _catalog.Lookups);
    }

    [Fact]
    public async Task Unthrottled_authentication_consults_the_catalog_once()
    {
        _catalog.Add(RegisterService("svc"));

        await Authenticate("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        Assert.Equal(1, _catalog.Lookups);
    }
}

/// <summary>The dispatch of JWT assertion methods (OIDC Core §9): the registered method alone decides how a client authenticates.</summary>
public class ClientAssertionDispatchTests
{
    private const string Remote = "203.0.113.7";
    private const string Jwks = """{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _throttle = new();
    private readonly FakeAssertionValidator _assertions = new();
    private readonly ClientAuthenticator _authenticator;

    public ClientAssertionDispatchTests()
    {
        _authenticator = new ClientAuthenticator(_catalog, _throttle, _assertions, new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), new FakeTimeProvider(TestClock.Start), NullLogger<ClientAuthenticator>.Instance);
        _catalog.Add(Client.Register("pkj", Service(TokenEndpointAuthMethods.PrivateKeyJwt) with { Jwks = Jwks }, secret: null, RegisteredAt));
        _catalog.Add(RegisterService("svc"));
    }

    private Task<ProtocolResult<ClientSnapshot>> AuthenticateAsync(ClientCredentials credentials) =>
        _authenticator.AuthenticateAsync(credentials, Remote, CancellationToken.None);

    private static ClientCredentials Assertion(string clientId) => new(clientId, null, PresentedAuthMethod.ClientAssertion) { Assertion = "h.p.s" };

    [Fact]
    public async Task An_assertion_client_is_authenticated_by_the_assertion_validator()
    {
        var result = await AuthenticateAsync(Assertion("pkj"));

        Assert.True(result.IsSuccess);
        Assert.Equal([("pkj", "h.p.s")], _assertions.Calls);
    }

    [Fact]
    public async Task A_refused_assertion_is_invalid_client_and_throttled_like_a_wrong_secret()
    {
        _assertions.Failure = "the signature does not verify";

        var result = await AuthenticateAsync(Assertion("pkj"));

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        Assert.Equal([("pkj", (string?)Remote)], _throttle.Failures);
    }

    [Fact]
    public async Task A_throttled_client_is_refused_before_its_assertion_is_verified()
    {
        _throttle.Wait = TimeSpan.FromSeconds(30);

        var result = await AuthenticateAsync(Assertion("pkj"));

        Assert.NotNull(result.Error!.RetryAfter);
        Assert.Empty(_assertions.Calls);
    }

    [Theory]
    [InlineData(PresentedAuthMethod.ClientSecretBasic)]
    [InlineData(PresentedAuthMethod.ClientSecretPost)]
    [InlineData(PresentedAuthMethod.None)]
    public async Task An_assertion_client_cannot_authenticate_another_way(PresentedAuthMethod method)
    {
        var result = await AuthenticateAsync(new ClientCredentials("pkj", ServiceSecret, method));

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        Assert.Empty(_assertions.Calls);
    }

    [Fact]
    public async Task A_secret_client_cannot_present_an_assertion()
    {
        var result = await AuthenticateAsync(Assertion("svc"));

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        Assert.Empty(_assertions.Calls);
    }
}
