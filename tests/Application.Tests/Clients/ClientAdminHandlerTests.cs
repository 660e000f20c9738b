using AuthService.Application.Clients.Commands.DeleteClient;
using AuthService.Application.Clients.Commands.DisableClient;
using AuthService.Application.Clients.Commands.EnableClient;
using AuthService.Application.Clients.Commands.RegisterClient;
using AuthService.Application.Clients.Commands.RevokeClientSecret;
using AuthService.Application.Clients.Commands.RotateClientSecret;
using AuthService.Application.Clients.Commands.UpdateClient;
using AuthService.Application.Clients.Common;
using AuthService.Application.Clients.EventHandlers;
using AuthService.Application.Clients.Queries.GetClient;
using AuthService.Application.Clients.Queries.ListClients;
using AuthService.Application.Common.Events;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;

namespace AuthService.Application.Tests.Clients;

public class ClientAdminHandlerTests
{
    private const string Actor = "admin-cli";

    private readonly InMemoryClientRepository _clients = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);

    private static ClientMetadata Service(string? clientId = "svc") => new(
        ClientId: clientId,
        ClientName: "Service",
        TokenEndpointAuthMethod: TokenEndpointAuthMethods.ClientSecretBasic,
        GrantTypes: [GrantTypes.ClientCredentials],
        Scope: "api.read admin",
        AccessTokenLifetime: 600);

    private static ClientMetadata Browser(string clientId = "spa") => new(
        ClientId: clientId,
        TokenEndpointAuthMethod: TokenEndpointAuthMethods.None,
        RedirectUris: ["https://spa.example/cb"],
        GrantTypes: [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        Scope: "openid");

    private Task<RegisteredClient> Register(ClientMetadata metadata) =>
        new RegisterClientHandler(_clients, _unitOfWork, new FakeClientSecretProtector(), _clock).Handle(new RegisterClient(metadata), CancellationToken.None);

    private Task<ClientResult> Update(string clientId, ClientMetadata metadata, int? version = null, string actor = Actor) =>
        new UpdateClientHandler(_clients, _unitOfWork, _clock).Handle(new UpdateClient(clientId, metadata, version, actor), CancellationToken.None);

    private Task<RotatedClientSecret> Rotate(string clientId, int? grace = null, int? version = null) =>
        new RotateClientSecretHandler(_clients, _unitOfWork, new FakeClientSecretProtector(), _clock).Handle(new RotateClientSecret(clientId, grace, version), CancellationToken.None);

    private Client Stored(string clientId) => Assert.Single(_clients.Clients, c => c.ClientId == clientId);

    [Fact]
    public async Task Register_generates_a_secret_stores_only_its_hash_and_returns_it_once()
    {
        var registered = await Register(Service());

        var secret = registered.Client.ClientSecret!;
        Assert.Equal(43, secret.Length);
        Assert.True(Assert.Single(Stored("svc").Secrets).Hash.Matches(secret));
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Equal("confidential", registered.Client.Type);
        Assert.Equal("api.read admin", registered.Client.Scope);
        Assert.Equal(600, registered.Client.AccessTokenLifetime);
        Assert.Equal(0, registered.Client.ClientSecretExpiresAt);
        Assert.DoesNotContain(secret, registered.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, registered.Client.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_generates_a_distinct_client_id_when_none_is_given()
    {
        var first = await Register(Service(clientId: null));
        var second = await Register(Service(clientId: null));

        Assert.Equal(43, first.Client.ClientId.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", first.Client.ClientId);
        Assert.NotEqual(first.Client.ClientId, second.Client.ClientId);
        Assert.Equal("Service", first.Client.ClientName);
    }

    [Fact]
    public async Task Register_a_public_client_issues_no_secret()
    {
        var registered = await Register(Browser());

        Assert.Null(registered.Client.ClientSecret);
        Assert.Null(registered.Client.ClientSecretExpiresAt);
        Assert.Empty(Stored("spa").Secrets);
        Assert.Equal("public", registered.Client.Type);
    }

    [Fact]
    public async Task Register_with_absent_members_uses_the_RFC_7591_defaults()
    {
        var registered = await Register(new ClientMetadata(ClientId: "plain", RedirectUris: ["https://plain.example/cb"]));

        Assert.Equal("plain", registered.Client.ClientName);
        Assert.Equal(TokenEndpointAuthMethods.ClientSecretBasic, registered.Client.TokenEndpointAuthMethod);
        Assert.Equal([GrantTypes.AuthorizationCode], registered.Client.GrantTypes);
        Assert.Equal(3600, registered.Client.AccessTokenLifetime);
        Assert.True(registered.Client.RequireConsent);
        Assert.Equal("RS256", registered.Client.IdTokenSignedResponseAlg);
        Assert.NotNull(registered.Client.ClientSecret);
    }

    [Fact]
    public async Task Register_of_an_existing_client_id_is_a_uniqueness_conflict_and_saves_nothing()
    {
        await Register(Service());

        await Assert.ThrowsAsync<ConflictException>(() => Register(Service() with { ClientName = "Other" }));

        Assert.Equal("Service", Stored("svc").ClientName);
        Assert.Equal(1, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Register_breaking_a_client_rule_names_the_field_and_saves_nothing()
    {
        var refused = await Assert.ThrowsAsync<DomainRuleViolationException>(() => Register(Browser() with { RedirectUris = ["http://c1.example/cb"] }));

        Assert.Equal("redirect_uris", refused.Field);
        Assert.Empty(_clients.Clients);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public void The_metadata_rules_name_null_list_entries_and_a_missing_body()
    {
        var validator = new RegisterClientValidator();

        var result = validator.Validate(new RegisterClient(Browser() with { RedirectUris = [null!], GrantTypes = [""], PostLogoutRedirectUris = [null!] }));
        Assert.Equal(["grant_types", "post_logout_redirect_uris", "redirect_uris"], result.Errors.Select(e => e.PropertyName).Order());

        Assert.Equal("body", Assert.Single(validator.Validate(new RegisterClient(null!)).Errors).PropertyName);
        Assert.True(validator.Validate(new RegisterClient(Browser())).IsValid);
    }

    [Fact]
    public async Task Update_replaces_the_settings_keeps_the_secret_and_saves()
    {
        var secret = (await Register(Service())).Client.ClientSecret!;
        _clock.Advance(TimeSpan.FromMinutes(1));

        var result = await Update("svc", Service() with { ClientName = "Renamed", Scope = "admin" }, version: 0);

        Assert.Equal("Renamed", result.Client.ClientName);
        Assert.Equal("admin", result.Client.Scope);
        Assert.True(Assert.Single(Stored("svc").Secrets).Hash.Matches(secret));
        Assert.Equal(2, _unitOfWork.Saves);
        Assert.Equal(_clock.GetUtcNow(), result.Client.UpdatedAt);
    }

    [Fact]
    public async Task Update_with_unchanged_settings_saves_nothing()
    {
        await Register(Service());

        await Update("svc", Service());

        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_a_precondition_failure()
    {
        await Register(Service());

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Update("svc", Service() with { ClientName = "Renamed" }, version: 3));

        Assert.Equal("Service", Stored("svc").ClientName);
    }

    [Fact]
    public async Task An_admin_client_cannot_remove_its_own_admin_scope_but_may_from_another()
    {
        await Register(Service("self"));
        await Register(Service("other"));

        await Assert.ThrowsAsync<ForbiddenOperationException>(() => Update("self", Service("self") with { Scope = "api.read" }, actor: "self"));
        Assert.Contains("admin", Stored("self").AllowedScopes);

        await Update("other", Service("other") with { Scope = "api.read" }, actor: "self");
        Assert.DoesNotContain("admin", Stored("other").AllowedScopes);
    }

    [Fact]
    public async Task Update_of_an_unknown_client_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Update("nobody", Service("nobody")));
    }

    [Fact]
    public void Update_refuses_a_body_naming_another_client()
    {
        var result = new UpdateClientValidator().Validate(new UpdateClient("svc", Service("other"), null, Actor));

        Assert.Equal("client_id", Assert.Single(result.Errors).PropertyName);
        Assert.True(new UpdateClientValidator().Validate(new UpdateClient("svc", Service("svc"), null, Actor)).IsValid);
        Assert.True(new UpdateClientValidator().Validate(new UpdateClient("svc", Service(null), null, Actor)).IsValid);
    }

    [Fact]
    public async Task Disable_and_enable_flip_the_state_and_an_admin_client_cannot_disable_itself()
    {
        await Register(Service());
        var disable = new DisableClientHandler(_clients, _unitOfWork, _clock);

        await Assert.ThrowsAsync<ForbiddenOperationException>(() => disable.Handle(new DisableClient("svc", null, "svc"), CancellationToken.None));
        Assert.True(Stored("svc").Enabled);

        var disabled = await disable.Handle(new DisableClient("svc", 0, Actor), CancellationToken.None);
        Assert.False(disabled.Client.Enabled);
        Assert.False(Stored("svc").Enabled);

        var enabled = await new EnableClientHandler(_clients, _unitOfWork, _clock).Handle(new EnableClient("svc", null), CancellationToken.None);
        Assert.True(enabled.Client.Enabled);
        Assert.Equal(3, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Delete_removes_the_client_and_its_grants_in_one_transaction()
    {
        await Register(Service());
        await Register(Service("keep"));
        var consents = new InMemoryConsentRepository();
        var userId = Guid.NewGuid();
        consents.Add(Consent.Grant(userId, "svc", ["api.read"], _clock.GetUtcNow()));
        consents.Add(Consent.Grant(userId, "keep", ["api.read"], _clock.GetUtcNow()));
        var handler = new DeleteClientHandler(_clients, new ClientRemoval(_clients, Cleanup(consents), _unitOfWork), _clock);

        await Assert.ThrowsAsync<ForbiddenOperationException>(() => handler.Handle(new DeleteClient("svc", null, "svc"), CancellationToken.None));
        Assert.Equal(2, consents.Consents.Count);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => handler.Handle(new DeleteClient("svc", 5, Actor), CancellationToken.None));

        await handler.Handle(new DeleteClient("svc", 0, Actor), CancellationToken.None);

        Assert.Equal(["keep"], _clients.Clients.Select(c => c.ClientId));
        Assert.Equal("keep", Assert.Single(consents.Consents).ClientId);
        Assert.Equal([1], _unitOfWork.CommittedTransactions);
        await Assert.ThrowsAsync<NotFoundException>(() => handler.Handle(new DeleteClient("svc", null, Actor), CancellationToken.None));
    }

    [Fact]
    public async Task Rotate_keeps_the_previous_secret_for_seven_days_by_default()
    {
        var first = (await Register(Service())).Client.ClientSecret!;
        _clock.Advance(TimeSpan.FromMinutes(1));
        var now = _clock.GetUtcNow();

        var rotated = await Rotate("svc");

        Assert.Equal(now.AddDays(7), rotated.Secret.PreviousSecretsExpireAt);
        var secrets = Stored("svc").Secrets;
        Assert.Equal(2, secrets.Count);
        Assert.True(secrets[0].Hash.Matches(first));
        Assert.Equal(now.AddDays(7), secrets[0].ExpiresAt);
        Assert.True(secrets[1].Hash.Matches(rotated.Secret.ClientSecret));
        Assert.Equal(secrets[1].Id, rotated.Secret.Id);
        Assert.True(rotated.Secret.Active);
        Assert.DoesNotContain(rotated.Secret.ClientSecret, rotated.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_with_no_grace_leaves_only_the_new_secret()
    {
        await Register(Service());

        var rotated = await Rotate("svc", grace: 0);

        Assert.Equal(rotated.Secret.Id, Assert.Single(Stored("svc").Secrets).Id);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(2592000, true)]
    [InlineData(2592001, false)]
    public void The_grace_period_is_bounded(int seconds, bool valid)
    {
        var result = new RotateClientSecretValidator().Validate(new RotateClientSecret("svc", seconds, null));

        Assert.Equal(valid, result.IsValid);
        Assert.All(result.Errors, e => Assert.Equal("previous_secrets_expire_in", e.PropertyName));
    }

    [Fact]
    public async Task Revoke_of_an_unknown_secret_is_not_found_and_a_stale_version_a_precondition_failure()
    {
        await Register(Service());
        var rotated = await Rotate("svc");
        var handler = new RevokeClientSecretHandler(_clients, _unitOfWork, _clock);

        await Assert.ThrowsAsync<NotFoundException>(() => handler.Handle(new RevokeClientSecret("svc", Guid.NewGuid(), null), CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => handler.Handle(new RevokeClientSecret("svc", rotated.Secret.Id, 9), CancellationToken.None));
        Assert.Equal(2, Stored("svc").Secrets.Count);

        var first = Stored("svc").Secrets[0].Id;
        await handler.Handle(new RevokeClientSecret("svc", first, rotated.Version), CancellationToken.None);
        Assert.Equal(rotated.Secret.Id, Assert.Single(Stored("svc").Secrets).Id);
    }

    [Fact]
    public async Task The_representation_shows_secret_metadata_and_whether_each_is_active()
    {
        await Register(Service());
        await Rotate("svc", grace: 60);
        _clock.Advance(TimeSpan.FromMinutes(2));

        var client = (await new GetClientHandler(_clients, _clock).Handle(new GetClient("svc"), CancellationToken.None)).Client;

        Assert.Equal([false, true], client.Secrets.Select(s => s.Active));
        Assert.Equal(_clock.Start.AddSeconds(60), client.Secrets[0].ExpiresAt);
        Assert.Null(client.Secrets[1].ExpiresAt);
    }

    [Fact]
    public async Task The_list_pages_by_client_id_and_filters()
    {
        foreach (var id in new[] { "c", "a", "b" })
        {
            await Register(Service(id));
        }

        await Register(Browser("d"));
        var handler = new ListClientsHandler(_clients, new PlainCursors(), _clock);

        var first = await handler.Handle(new ListClients(Limit: 2), CancellationToken.None);
        Assert.Equal(["a", "b"], first.Items.Select(c => c.ClientId));
        var second = await handler.Handle(new ListClients(Cursor: first.NextCursor, Limit: 2), CancellationToken.None);
        Assert.Equal(["c", "d"], second.Items.Select(c => c.ClientId));
        Assert.Null(second.NextCursor);

        var codeClients = await handler.Handle(new ListClients(GrantType: GrantTypes.AuthorizationCode), CancellationToken.None);
        Assert.Equal(["d"], codeClients.Items.Select(c => c.ClientId));
        await Assert.ThrowsAsync<RequestValidationException>(() => handler.Handle(new ListClients(Cursor: "forged"), CancellationToken.None));
        Assert.False(new ListClientsValidator().Validate(new ListClients(GrantType: "password")).IsValid);
    }

    [Fact]
    public async Task The_client_cache_is_invalidated_on_rotation_revocation_and_deletion()
    {
        var catalog = new InMemoryClientCatalog();
        var handler = new InvalidateClientCache(catalog);
        var now = _clock.GetUtcNow();

        await handler.Handle(new DomainEventNotification<ClientSecretRotated>(new ClientSecretRotated("a", Guid.NewGuid(), now, now)), CancellationToken.None);
        await handler.Handle(new DomainEventNotification<ClientSecretRevoked>(new ClientSecretRevoked("b", Guid.NewGuid(), now)), CancellationToken.None);
        await handler.Handle(new DomainEventNotification<ClientDeleted>(new ClientDeleted("c", now)), CancellationToken.None);

        Assert.Equal(["a", "b", "c"], catalog.Invalidated);
    }

    private GrantCleanup Cleanup(InMemoryConsentRepository consents)
    {
        var families = new InMemoryRefreshTokenFamilyRepository();
        return new GrantCleanup(
            new GrantRevocation(families, new InMemoryRevokedAccessTokenRepository(), _unitOfWork, _clock),
            families, new InMemoryAuthorizationCodeRepository(), consents, new InMemoryUserSessionRepository());
    }

    /// <summary>Cursors that only tell their own from others: "k:" + key.</summary>
    private sealed class PlainCursors : IPageCursors
    {
        public string Protect(string key) => "k:" + key;

        public string? Unprotect(string cursor) => cursor.StartsWith("k:", StringComparison.Ordinal) ? cursor[2..] : null;
    }
}
