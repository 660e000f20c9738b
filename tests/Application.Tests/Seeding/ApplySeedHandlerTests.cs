using AuthService.Application.Common.Exceptions;
using AuthService.Application.Seeding.Commands.ApplySeed;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.Seeding.SeedClients;

namespace AuthService.Application.Tests.Seeding;

public class ApplySeedHandlerTests
{
    private readonly InMemoryClientRepository _clients = new();
    private readonly InMemoryUserRepository _users = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly ApplySeedHandler _handler;

    public ApplySeedHandlerTests()
    {
        _handler = new ApplySeedHandler(_clients, _users, new InMemoryProtectedResourceRepository(), new InMemoryExternalProviderRepository(), new FakeExternalProviderSecrets(), new FakePasswordHasher(), new FakeClientSecretProtector(),
            InMemoryLogoutNotificationRepository.Propagation(_clients, new InMemoryUserSessionRepository()), _unitOfWork, _clock, NullLogger<ApplySeedHandler>.Instance);
    }

    private Task<SeedResult> Apply(SeedDocument document) => _handler.Handle(new ApplySeed(document), CancellationToken.None);

    private Client Stored(string clientId) => Assert.Single(_clients.Clients, c => c.ClientId == clientId);

    [Fact]
    public async Task Seed_creates_absent_clients_and_saves_once()
    {
        var result = await Apply(Document(Service("svc"), Browser("spa")));

        Assert.Equal(new SeedResult(Created: 2, Updated: 0, Unchanged: 0), result);
        Assert.Equal(["svc", "spa"], _clients.Clients.Select(c => c.ClientId));
        Assert.Equal(1, _unitOfWork.Saves);
        var svc = Stored("svc");
        Assert.Equal(ClientType.Confidential, svc.Type);
        Assert.Equal(SecretHash.Compute(Secret), Assert.Single(svc.Secrets).Hash);
        Assert.Equal(TestClock.Start, svc.CreatedAt);
    }

    [Fact]
    public async Task Applying_the_same_seed_twice_leaves_every_client_unchanged()
    {
        await Apply(Document(Service("svc"), Browser("spa")));
        _clock.Advance(TimeSpan.FromMinutes(1));

        var second = await Apply(Document(Service("svc"), Browser("spa")));

        Assert.Equal(new SeedResult(Created: 0, Updated: 0, Unchanged: 2), second);
        Assert.Equal(2, _clients.Clients.Count);
        Assert.Equal(TestClock.Start, Stored("svc").UpdatedAt);
    }

    [Fact]
    public async Task Applying_a_changed_seed_updates_only_the_changed_client()
    {
        await Apply(Document(Service("svc"), Browser("spa")));

        var second = await Apply(Document(Service("svc") with { Scope = "api.read" }, Browser("spa")));

        Assert.Equal(new SeedResult(Created: 0, Updated: 1, Unchanged: 1), second);
        Assert.Equal(["api.read"], Stored("svc").AllowedScopes);
    }

    [Fact]
    public async Task Applying_a_seed_with_a_new_secret_replaces_the_secret()
    {
        await Apply(Document(Service("svc")));

        var second = await Apply(Document(Service("svc", secret: "rotated-secret-0123456789")));

        Assert.Equal(1, second.Updated);
        Assert.Equal(SecretHash.Compute("rotated-secret-0123456789"), Assert.Single(Stored("svc").Secrets).Hash);
    }

    [Fact]
    public async Task Reapplying_a_seed_after_a_secret_rotation_keeps_both_secrets()
    {
        await Apply(Document(Service("svc")));
        var rotated = SecretHash.Compute("rotated-secret-0123456789");
        Stored("svc").AddSecret(rotated, TestClock.Start.AddMinutes(1));
        _clock.Advance(TimeSpan.FromMinutes(2));

        var second = await Apply(Document(Service("svc")));

        Assert.Equal(new SeedResult(Created: 0, Updated: 0, Unchanged: 1), second);
        Assert.Equal([SecretHash.Compute(Secret), rotated], Stored("svc").Secrets.Select(s => s.Hash));
    }

    [Fact]
    public async Task Seeded_client_without_secret_or_auth_method_is_public()
    {
        await Apply(Document(Browser("spa")));

        var spa = Stored("spa");
        Assert.Equal(ClientType.Public, spa.Type);
        Assert.Equal("none", spa.TokenEndpointAuthMethod);
        Assert.Empty(spa.Secrets);
    }

    [Fact]
    public async Task Seeded_client_defaults_to_authorization_code_and_a_one_hour_lifetime()
    {
        await Apply(Document(Browser("spa")));

        var spa = Stored("spa");
        Assert.Equal(["authorization_code"], spa.GrantTypes);
        Assert.Equal(TimeSpan.FromSeconds(3600), spa.AccessTokenLifetime);
        Assert.Equal("spa", spa.ClientName);
    }

    [Fact]
    public async Task Seeded_client_defaulting_to_authorization_code_without_redirect_uris_is_refused_by_field()
    {
        var bare = new SeedClient("bare", Secret, null, null, null, null, null, null, null, null);

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Apply(Document(bare)));

        Assert.Equal(["clients[0].redirect_uris"], refused.Errors.Keys);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Seed_with_one_invalid_client_saves_nothing_and_names_the_client_and_field()
    {
        var invalid = Service("bad") with { GrantTypes = ["password"] };

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Apply(Document(Service("svc"), invalid, Browser("spa"))));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("clients[1].grant_types", error.Key);
        Assert.Contains("password", Assert.Single(error.Value), StringComparison.Ordinal);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Seed_refusing_a_public_client_with_a_secret_does_not_echo_the_secret()
    {
        var invalid = Browser("spa") with { ClientSecret = Secret, TokenEndpointAuthMethod = "none" };

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Apply(Document(invalid)));

        Assert.Equal(["clients[0].client_secret"], refused.Errors.Keys);
        Assert.DoesNotContain(Secret, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Seed_without_clients_or_users_creates_nothing()
    {
        var result = await Apply(new SeedDocument(Clients: null, Users: null));

        Assert.Equal(new SeedResult(0, 0, 0), result);
        Assert.Empty(_clients.Clients);
        Assert.Empty(_users.Users);
    }

    [Fact]
    public void ToSettings_maps_every_member()
    {
        var declared = new SeedClient(
            ClientId: "svc",
            ClientSecret: Secret,
            ClientName: "Named",
            RedirectUris: ["https://c1.example/cb"],
            PostLogoutRedirectUris: ["https://c1.example/bye"],
            GrantTypes: ["authorization_code", "client_credentials"],
            TokenEndpointAuthMethod: "client_secret_post",
            Scope: " api.read  api.write ",
            AccessTokenLifetime: 120,
            Audience: "https://api.example");

        var settings = ApplySeedHandler.ToSettings(declared);

        Assert.Equal("Named", settings.ClientName);
        Assert.Equal("client_secret_post", settings.TokenEndpointAuthMethod);
        Assert.Equal(["https://c1.example/cb"], settings.RedirectUris);
        Assert.Equal(["https://c1.example/bye"], settings.PostLogoutRedirectUris);
        Assert.Equal(["authorization_code", "client_credentials"], settings.GrantTypes);
        Assert.Equal(["api.read", "api.write"], settings.AllowedScopes);
        Assert.Equal(TimeSpan.FromSeconds(120), settings.AccessTokenLifetime);
        Assert.Equal("https://api.example", settings.Audience);
    }

    [Fact]
    public void ToSettings_fills_rfc7591_defaults()
    {
        var settings = ApplySeedHandler.ToSettings(new SeedClient("svc", null, null, null, null, null, null, null, null, null));

        Assert.Equal("svc", settings.ClientName);
        Assert.Equal("none", settings.TokenEndpointAuthMethod);
        Assert.Empty(settings.RedirectUris);
        Assert.Empty(settings.PostLogoutRedirectUris);
        Assert.Equal(["authorization_code"], settings.GrantTypes);
        Assert.Empty(settings.AllowedScopes);
        Assert.Equal(TimeSpan.FromHours(1), settings.AccessTokenLifetime);
        Assert.Null(settings.Audience);
    }

    [Fact]
    public void ToSettings_of_a_client_with_secret_and_no_method_uses_client_secret_basic() =>
        Assert.Equal("client_secret_basic", ApplySeedHandler.ToSettings(Service("svc")).TokenEndpointAuthMethod);

    [Fact]
    public void ToSettings_keeps_an_explicit_method_even_without_secret() =>
        Assert.Equal(
            "client_secret_post",
            ApplySeedHandler.ToSettings(Service("svc", secret: null) with { TokenEndpointAuthMethod = "client_secret_post" }).TokenEndpointAuthMethod);
}
