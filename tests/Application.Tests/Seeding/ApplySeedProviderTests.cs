using AuthService.Application.Common.Exceptions;
using AuthService.Application.Federation.Common;
using AuthService.Application.Seeding.Commands.ApplySeed;
using AuthService.Application.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthService.Application.Tests.Seeding;

public class ApplySeedProviderTests
{
    private readonly InMemoryExternalProviderRepository _providers = new();
    private readonly FakeExternalProviderSecrets _secrets = new();
    private readonly ApplySeedHandler _handler;

    public ApplySeedProviderTests() =>
        _handler = new ApplySeedHandler(new InMemoryClientRepository(), new InMemoryUserRepository(), new InMemoryProtectedResourceRepository(), _providers, _secrets,
            new FakePasswordHasher(), new FakeClientSecretProtector(),
            InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), new InMemoryUserSessionRepository()),
            new FakeUnitOfWork(), new FakeTimeProvider(TestClock.Start), NullLogger<ApplySeedHandler>.Instance);

    private Task<SeedResult> Apply(params ExternalProviderMetadata[] providers) =>
        _handler.Handle(new ApplySeed(new SeedDocument(Clients: null, Users: null) { ExternalProviders = providers }), CancellationToken.None);

    private static ExternalProviderMetadata Google(string secret = "google-secret") =>
        new("google", "Google", "1234.apps.googleusercontent.com", secret, Preset: "google", TrustEmailVerified: true);

    [Fact]
    public async Task A_provider_is_created_with_its_secret_encrypted_then_unchanged_when_applied_again()
    {
        Assert.Equal(new SeedResult(1, 0, 0), await Apply(Google()));
        Assert.Equal(new SeedResult(0, 0, 1), await Apply(Google()));

        var stored = Assert.Single(_providers.Providers);
        Assert.Equal("https://accounts.google.com", stored.Issuer);
        Assert.True(stored.TrustEmailVerified);
        Assert.Equal("google-secret", _secrets.Unprotect("google", stored.ProtectedSecret!));
        Assert.Equal(1, _secrets.Protected);
    }

    [Fact]
    public async Task A_changed_secret_is_encrypted_anew()
    {
        await Apply(Google());

        Assert.Equal(new SeedResult(0, 1, 0), await Apply(Google("rotated-secret")));
        Assert.Equal("rotated-secret", _secrets.Unprotect("google", Assert.Single(_providers.Providers).ProtectedSecret!));
    }

    [Fact]
    public async Task Claim_names_default_to_the_presets_and_a_declared_one_replaces_only_itself()
    {
        await Apply(new ExternalProviderMetadata("github", "GitHub", "gh", "gh-secret", Preset: "github", Claims: new ClaimMappingMetadata(null, null, null, "login")));

        var claims = Assert.Single(_providers.Providers).Claims;
        Assert.Equal(("id", "login"), (claims.Subject, claims.Name));
    }

    [Theory]
    [InlineData("saml", "protocol")]
    [InlineData("oauth2", "authorization_endpoint")]
    public async Task An_invalid_provider_fails_the_seed_with_its_index_and_member(string protocol, string member)
    {
        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            Apply(Google(), new ExternalProviderMetadata("forge", "Forge", "forge-client", Protocol: protocol, Issuer: "https://forge.example")));

        Assert.Contains($"external_providers[1].{member}", error.Errors.Keys);
    }
}
