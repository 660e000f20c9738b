using AuthService.Application.Common.Exceptions;
using AuthService.Application.Federation.Commands.CreateExternalProvider;
using AuthService.Application.Federation.Commands.DeleteExternalProvider;
using AuthService.Application.Federation.Commands.UpdateExternalProvider;
using AuthService.Application.Federation.Common;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Domain.Federation.Events;

namespace AuthService.Application.Tests.Federation;

/// <summary>The admin commands for upstream providers: the secret encrypted under the name only once the name is valid, kept when absent or unchanged; a provider with links stays.</summary>
public sealed class ExternalProviderCommandTests
{
    private readonly InMemoryExternalProviderRepository _providers = new();
    private readonly InMemoryExternalIdentityRepository _identities = new();
    private readonly FakeExternalProviderSecrets _secrets = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);

    private static ExternalProviderMetadata Google(string? secret = "google-secret", string? name = "google") =>
        new(name, "Google", "1234.apps.googleusercontent.com", secret, Preset: "google");

    private Task<ExternalProviderResult> CreateAsync(ExternalProviderMetadata metadata) =>
        new CreateExternalProviderHandler(_providers, _secrets, _unitOfWork, _clock).Handle(new CreateExternalProvider(metadata), CancellationToken.None);

    private Task<ExternalProviderResult> UpdateAsync(ExternalProviderMetadata metadata, string name = "google") =>
        new UpdateExternalProviderHandler(_providers, _secrets, _unitOfWork, _clock).Handle(new UpdateExternalProvider(name, metadata, null), CancellationToken.None);

    [Fact]
    public async Task Creating_encrypts_the_secret_under_the_name_and_answers_only_that_one_is_set()
    {
        var result = await CreateAsync(Google());

        Assert.True(result.Provider.ClientSecretSet);
        Assert.Equal("google-secret", _secrets.Unprotect("google", Assert.Single(_providers.Providers).ProtectedSecret!));
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task An_invalid_name_is_refused_before_anything_is_encrypted_under_it()
    {
        var refused = await Assert.ThrowsAsync<DomainRuleViolationException>(() => CreateAsync(Google(name: "Google!")));

        Assert.Equal("name", refused.Field);
        Assert.Equal(0, _secrets.Protected);
        Assert.Empty(_providers.Providers);
    }

    [Fact]
    public async Task A_taken_name_is_a_conflict_and_saves_nothing()
    {
        await CreateAsync(Google());

        var conflict = await Assert.ThrowsAsync<ConflictException>(() => CreateAsync(Google("other-secret")));

        Assert.Equal(SaveResult.UniquenessConflict, conflict.Conflict);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Equal("google-secret", _secrets.Unprotect("google", Assert.Single(_providers.Providers).ProtectedSecret!));
    }

    [Fact]
    public async Task A_replacement_with_the_same_or_no_secret_keeps_it_and_changes_nothing()
    {
        await CreateAsync(Google());
        var provider = Assert.Single(_providers.Providers);
        provider.ClearDomainEvents();

        await UpdateAsync(Google());
        await UpdateAsync(Google(secret: null));

        Assert.Empty(provider.DomainEvents);
        Assert.Equal(1, _secrets.Protected);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Equal("google-secret", _secrets.Unprotect("google", provider.ProtectedSecret!));
    }

    [Fact]
    public async Task A_replacement_cannot_rename()
    {
        await CreateAsync(Google());

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => UpdateAsync(Google(name: "gmail")));

        Assert.Contains("name", refused.Errors.Keys);
        Assert.Equal("google", Assert.Single(_providers.Providers).Name);
    }

    [Fact]
    public async Task A_provider_with_a_link_is_not_deleted_and_one_without_is_deleted_with_its_fact()
    {
        await CreateAsync(Google());
        await CreateAsync(Google(name: "spare"));
        var google = _providers.Providers.Single(p => p.Name == "google");
        _identities.Add(ExternalIdentity.Link(Guid.NewGuid(), Guid.NewGuid(), google.Id, "subject-1", null, "linked", TestClock.Start));
        var handler = new DeleteExternalProviderHandler(_providers, _identities, _unitOfWork, _clock);

        await Assert.ThrowsAsync<StateConflictException>(() => handler.Handle(new DeleteExternalProvider("google", null), CancellationToken.None));
        var spare = _providers.Providers.Single(p => p.Name == "spare");
        await handler.Handle(new DeleteExternalProvider("spare", null), CancellationToken.None);

        Assert.Equal(["google"], _providers.Providers.Select(p => p.Name));
        Assert.IsType<ExternalProviderDeleted>(spare.DomainEvents[^1]);
    }
}
