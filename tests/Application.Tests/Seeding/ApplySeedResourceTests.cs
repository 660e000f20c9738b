using AuthService.Application.Common.Exceptions;
using AuthService.Application.Resources.Common;
using AuthService.Application.Seeding.Commands.ApplySeed;
using AuthService.Application.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthService.Application.Tests.Seeding;

public class ApplySeedResourceTests
{
    private const string Orders = "https://api.example.com/orders";

    private readonly InMemoryProtectedResourceRepository _resources = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly ApplySeedHandler _handler;

    public ApplySeedResourceTests() =>
        _handler = new ApplySeedHandler(new InMemoryClientRepository(), new InMemoryUserRepository(), _resources, new InMemoryExternalProviderRepository(), new FakeExternalProviderSecrets(), new FakePasswordHasher(),
            new FakeClientSecretProtector(), InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), new InMemoryUserSessionRepository()),
            _unitOfWork, new FakeTimeProvider(TestClock.Start), NullLogger<ApplySeedHandler>.Instance);

    private Task<SeedResult> Apply(params ResourceMetadata[] resources) =>
        _handler.Handle(new ApplySeed(new SeedDocument(Clients: null, Users: null) { Resources = resources }), CancellationToken.None);

    [Fact]
    public async Task Resources_are_created_then_unchanged_then_updated_with_defaults_for_absent_members()
    {
        var declared = new ResourceMetadata(Orders, Name: null, ["orders.read"]);

        Assert.Equal(new SeedResult(1, 0, 0), await Apply(declared));
        Assert.Equal(new SeedResult(0, 0, 1), await Apply(declared));
        Assert.Equal(new SeedResult(0, 1, 0), await Apply(declared with { Name = "Orders API", AccessTokenLifetime = 600, AccessTokenSigningAlg = "EdDSA" }));

        var stored = Assert.Single(await _resources.ListAsync(after: null, take: 10, CancellationToken.None));
        Assert.Equal("Orders API", stored.Name);
        Assert.Equal(TimeSpan.FromSeconds(600), stored.AccessTokenLifetime);
        Assert.Equal("EdDSA", stored.AccessTokenSigningAlg);
        Assert.Empty(stored.IntrospectionClients);
        Assert.Empty(stored.AllowedClients);
    }

    [Fact]
    public async Task An_invalid_resource_names_its_index_and_member_and_nothing_is_saved()
    {
        var refused = await Assert.ThrowsAsync<RequestValidationException>(() =>
            Apply(new ResourceMetadata(Orders, "Orders", ["orders.read"]), new ResourceMetadata("https://x.example/api#f", "X", ["x"])));

        Assert.Equal(["resources[1].resource"], refused.Errors.Keys);
        Assert.Equal(0, _unitOfWork.Saves);
    }
}
