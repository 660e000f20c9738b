using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

public class ClientReconfigureTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    [Fact]
    public void Reconfigure_with_unchanged_settings_returns_false_and_raises_no_event()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        var changed = client.Reconfigure(Confidential(), replacementSecret: null, Later);

        Assert.False(changed);
        Assert.Empty(client.DomainEvents);
        Assert.Equal(Now, client.UpdatedAt);
    }

    [Fact]
    public void Reconfigure_with_the_current_secret_returns_false()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        Assert.False(client.Reconfigure(Confidential(), Secret(), Later));
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public void Reconfigure_public_client_with_unchanged_settings_returns_false()
    {
        var client = RegisterPublic();
        client.ClearDomainEvents();

        Assert.False(client.Reconfigure(Public(), replacementSecret: null, Later));
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public void Reconfigure_with_changed_settings_returns_true_and_raises_ClientReconfigured()
    {
        var client = RegisterConfidential("svc-change");
        client.ClearDomainEvents();

        var changed = client.Reconfigure(Confidential() with { AllowedScopes = ["api.read"], AccessTokenLifetime = TimeSpan.FromMinutes(2) }, null, Later);

        Assert.True(changed);
        Assert.Equal(["api.read"], client.AllowedScopes);
        Assert.Equal(TimeSpan.FromMinutes(2), client.AccessTokenLifetime);
        Assert.Equal(Later, client.UpdatedAt);
        var reconfigured = Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents));
        Assert.Equal("svc-change", reconfigured.ClientId);
        Assert.Equal(Later, reconfigured.OccurredAt);
    }

    [Fact]
    public void Reconfigure_with_reordered_scopes_counts_as_a_change()
    {
        var client = RegisterConfidential();

        Assert.True(client.Reconfigure(Confidential() with { AllowedScopes = ["api.write", "api.read"] }, null, Later));
        Assert.Equal(["api.write", "api.read"], client.AllowedScopes);
    }

    [Fact]
    public void Reconfigure_confidential_without_replacement_keeps_its_secrets()
    {
        var client = RegisterConfidential();
        client.AddSecret(Secret("second-secret-0123456789"), Now);

        Assert.True(client.Reconfigure(Confidential() with { ClientName = "Renamed" }, null, Later));

        Assert.Equal(2, client.Secrets.Count);
    }

    [Fact]
    public void Reconfigure_confidential_to_public_clears_the_secrets()
    {
        var client = RegisterConfidential();
        client.AddSecret(Secret("second-secret-0123456789"), Now);

        var changed = client.Reconfigure(Public(), replacementSecret: null, Later);

        Assert.True(changed);
        Assert.Equal(ClientType.Public, client.Type);
        Assert.Equal("none", client.TokenEndpointAuthMethod);
        Assert.Empty(client.Secrets);
    }

    [Fact]
    public void Reconfigure_with_replacement_secret_makes_it_the_only_secret()
    {
        var client = RegisterConfidential();
        client.AddSecret(Secret("second-secret-0123456789"), Now);
        var replacement = Secret("replacement-secret-0123456789");

        var changed = client.Reconfigure(Confidential(), replacement, Later);

        Assert.True(changed);
        var only = Assert.Single(client.Secrets);
        Assert.Equal(replacement, only.Hash);
        Assert.Equal(Later, only.CreatedAt);
    }

    [Fact]
    public void Reconfigure_with_the_original_secret_after_rotation_keeps_both_secrets_and_returns_false()
    {
        var client = RegisterConfidential();
        var rotated = Secret("rotated-secret-0123456789");
        client.AddSecret(rotated, Now);
        client.ClearDomainEvents();

        var changed = client.Reconfigure(Confidential(), Secret(), Later);

        Assert.False(changed);
        Assert.Equal([Secret(), rotated], client.Secrets.Select(s => s.Hash));
        Assert.Empty(client.DomainEvents);
        Assert.Equal(Now, client.UpdatedAt);
    }

    [Fact]
    public void Reconfigure_with_the_rotated_secret_keeps_both_secrets_and_returns_false()
    {
        var client = RegisterConfidential();
        var rotated = Secret("rotated-secret-0123456789");
        client.AddSecret(rotated, Now);
        client.ClearDomainEvents();

        Assert.False(client.Reconfigure(Confidential(), rotated, Later));

        Assert.Equal([Secret(), rotated], client.Secrets.Select(s => s.Hash));
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public void Reconfigure_with_an_existing_secret_and_changed_settings_changes_the_settings_but_keeps_both_secrets()
    {
        var client = RegisterConfidential();
        var rotated = Secret("rotated-secret-0123456789");
        var added = client.AddSecret(rotated, Now, Now.AddDays(30));
        var original = client.Secrets[0];

        var changed = client.Reconfigure(Confidential() with { ClientName = "Renamed" }, Secret(), Later);

        Assert.True(changed);
        Assert.Equal("Renamed", client.ClientName);
        Assert.Equal([original.Id, added.Id], client.Secrets.Select(s => s.Id));
        Assert.Equal([Secret(), rotated], client.Secrets.Select(s => s.Hash));
        Assert.Equal(Now.AddDays(30), client.Secrets[1].ExpiresAt);
    }

    [Fact]
    public void Reconfigure_after_rotation_with_a_new_secret_makes_it_the_only_secret_and_returns_true()
    {
        var client = RegisterConfidential("svc-rotated");
        client.AddSecret(Secret("rotated-secret-0123456789"), Now);
        client.ClearDomainEvents();
        var replacement = Secret("replacement-secret-0123456789");

        var changed = client.Reconfigure(Confidential(), replacement, Later);

        Assert.True(changed);
        var only = Assert.Single(client.Secrets);
        Assert.Equal(replacement, only.Hash);
        Assert.Null(only.ExpiresAt);
        Assert.Equal("svc-rotated", Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents)).ClientId);
    }

    [Fact]
    public void Reconfigure_with_a_different_secret_and_same_settings_returns_true()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        Assert.True(client.Reconfigure(Confidential(), Secret("replacement-secret-0123456789"), Later));
        Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents));
    }

    [Fact]
    public void Reconfigure_public_to_confidential_without_secret_is_refused_and_leaves_it_public()
    {
        var client = RegisterPublic();

        AssertRefused("client_secret", () => client.Reconfigure(Confidential(), replacementSecret: null, Later));

        Assert.Equal(ClientType.Public, client.Type);
        Assert.Equal("none", client.TokenEndpointAuthMethod);
    }

    [Fact]
    public void Reconfigure_public_to_confidential_with_secret_succeeds()
    {
        var client = RegisterPublic();

        Assert.True(client.Reconfigure(Confidential(), Secret(), Later));

        Assert.Equal(ClientType.Confidential, client.Type);
        Assert.Equal(Secret(), Assert.Single(client.Secrets).Hash);
    }

    [Fact]
    public void Reconfigure_public_client_with_secret_is_refused() =>
        AssertRefused("client_secret", () => RegisterPublic().Reconfigure(Public(), Secret(), Later));

    [Fact]
    public void Refused_reconfigure_leaves_the_client_unchanged()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        AssertRefused("access_token_lifetime", () => client.Reconfigure(
            Confidential() with { ClientName = "Renamed", AccessTokenLifetime = TimeSpan.FromSeconds(10) }, Secret("replacement-secret-0123456789"), Later));

        Assert.Equal("Service One", client.ClientName);
        Assert.Equal(TimeSpan.FromMinutes(10), client.AccessTokenLifetime);
        Assert.Equal(Secret(), Assert.Single(client.Secrets).Hash);
        Assert.Equal(Now, client.UpdatedAt);
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public void Reconfigure_with_non_utc_now_is_refused()
    {
        var client = RegisterConfidential();

        AssertRefused("now", () => client.Reconfigure(Confidential() with { ClientName = "Renamed" }, null, Later.ToOffset(TimeSpan.FromHours(-5))));
        Assert.Equal("Service One", client.ClientName);
    }
}
