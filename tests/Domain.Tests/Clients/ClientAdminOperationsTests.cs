using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

/// <summary>The aggregate rules behind the admin API: settings updates, secret rotation and revocation, deletion.</summary>
public class ClientAdminOperationsTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);
    private static readonly SecretHash NewSecret = Secret("new-secret-0123456789abcdef");

    [Fact]
    public void UpdateSettings_replaces_the_settings_keeps_the_secrets_and_raises_ClientReconfigured()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        var changed = client.UpdateSettings(Confidential() with { ClientName = "Renamed", TokenEndpointAuthMethod = TokenEndpointAuthMethods.ClientSecretPost }, Later);

        Assert.True(changed);
        Assert.Equal("Renamed", client.ClientName);
        Assert.Equal(TokenEndpointAuthMethods.ClientSecretPost, client.TokenEndpointAuthMethod);
        Assert.Equal([Secret()], client.Secrets.Select(s => s.Hash));
        Assert.Equal(Later, client.UpdatedAt);
        Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents));
    }

    [Fact]
    public void UpdateSettings_with_the_same_settings_changes_nothing()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        Assert.False(client.UpdateSettings(Confidential(), Later));
        Assert.Empty(client.DomainEvents);
        Assert.Equal(Now, client.UpdatedAt);
    }

    [Fact]
    public void UpdateSettings_refuses_turning_a_confidential_client_public()
    {
        var client = RegisterConfidential();

        AssertRefused("token_endpoint_auth_method", () => client.UpdateSettings(Public(), Later));
        Assert.Equal(ClientType.Confidential, client.Type);
        Assert.Single(client.Secrets);
    }

    [Fact]
    public void UpdateSettings_refuses_turning_a_public_client_confidential()
    {
        var client = RegisterPublic();

        AssertRefused("token_endpoint_auth_method", () => client.UpdateSettings(Public() with { TokenEndpointAuthMethod = TokenEndpointAuthMethods.ClientSecretBasic }, Later));
        Assert.Equal(ClientType.Public, client.Type);
    }

    [Fact]
    public void UpdateSettings_reports_an_unsupported_auth_method_as_such()
    {
        var refused = AssertRefused("token_endpoint_auth_method",
            () => RegisterConfidential().UpdateSettings(Confidential() with { TokenEndpointAuthMethod = "client_assertion" }, Later));

        Assert.Contains("must be one of", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateSettings_breaking_a_rule_names_the_field_and_changes_nothing()
    {
        var client = RegisterPublic();

        AssertRefused("redirect_uris", () => client.UpdateSettings(Public() with { RedirectUris = ["http://c1.example/cb"] }, Later));
        Assert.Equal(["https://c1.example/cb"], client.RedirectUris);
    }

    [Fact]
    public void RotateSecret_adds_the_new_secret_and_lets_the_old_one_expire_after_the_grace_period()
    {
        var client = RegisterConfidential("svc-rot");
        client.ClearDomainEvents();
        var graceEnd = Later.AddHours(1);

        var added = client.RotateSecret(NewSecret, graceEnd, Later);

        Assert.Equal([Secret(), NewSecret], client.Secrets.Select(s => s.Hash));
        Assert.Null(added.ExpiresAt);
        Assert.Equal(graceEnd, client.Secrets[0].ExpiresAt);
        Assert.True(client.Secrets[0].IsValidAt(graceEnd.AddTicks(-1)));
        Assert.False(client.Secrets[0].IsValidAt(graceEnd));
        Assert.Equal(Later, client.UpdatedAt);
        var raised = Assert.IsType<ClientSecretRotated>(Assert.Single(client.DomainEvents));
        Assert.Equal(new ClientSecretRotated("svc-rot", added.Id, graceEnd, Later), raised);
    }

    [Fact]
    public void RotateSecret_without_grace_drops_the_previous_secrets_at_once()
    {
        var client = RegisterConfidential();

        var added = client.RotateSecret(NewSecret, Later, Later);

        Assert.Equal(added, Assert.Single(client.Secrets));
    }

    [Fact]
    public void RotateSecret_never_extends_an_earlier_expiry_and_drops_expired_secrets()
    {
        var client = RegisterConfidential();
        var soon = client.AddSecret(Secret("soon-secret-0123456789"), Now, Now.AddMinutes(10));
        client.AddSecret(Secret("gone-secret-0123456789"), Now, Now.AddMinutes(1));

        client.RotateSecret(NewSecret, Later.AddDays(7), Later);

        Assert.Equal([Secret(), soon.Hash, NewSecret], client.Secrets.Select(s => s.Hash));
        Assert.Equal(Now.AddMinutes(10), soon.ExpiresAt);
        Assert.Equal(Later.AddDays(7), client.Secrets[0].ExpiresAt);
    }

    [Fact]
    public void RotateSecret_refuses_a_public_client()
    {
        var client = RegisterPublic();

        AssertRefused("client_secret", () => client.RotateSecret(NewSecret, Later, Later));
        Assert.Empty(client.Secrets);
    }

    [Fact]
    public void RotateSecret_refuses_a_grace_period_ending_in_the_past()
    {
        var client = RegisterConfidential();

        AssertRefused("previous_secrets_expire_in", () => client.RotateSecret(NewSecret, Later.AddTicks(-1), Later));
        Assert.Single(client.Secrets);
        Assert.Null(client.Secrets[0].ExpiresAt);
    }

    [Fact]
    public void RotateSecret_refuses_a_sixth_valid_secret_but_not_when_the_previous_ones_stop_now()
    {
        var client = RegisterConfidential();
        for (var i = 2; i <= 5; i++)
        {
            client.RotateSecret(Secret($"secret-number-{i}-0123456789"), Later.AddDays(1), Later);
        }

        AssertRefused("client_secret", () => client.RotateSecret(NewSecret, Later.AddDays(1), Later));
        Assert.Equal(5, client.Secrets.Count);
        Assert.All(client.Secrets, s => Assert.True(s.ExpiresAt is null || s.ExpiresAt == Later.AddDays(1)));

        client.RotateSecret(NewSecret, Later, Later);
        Assert.Equal(NewSecret, Assert.Single(client.Secrets).Hash);
    }

    [Fact]
    public void RevokeSecret_removes_one_secret_and_raises_ClientSecretRevoked()
    {
        var client = RegisterConfidential("svc-rev");
        var first = client.Secrets[0];
        client.RotateSecret(NewSecret, Later.AddDays(1), Later);
        client.ClearDomainEvents();

        client.RevokeSecret(first.Id, Later.AddMinutes(1));

        Assert.Equal(NewSecret, Assert.Single(client.Secrets).Hash);
        Assert.Equal(Later.AddMinutes(1), client.UpdatedAt);
        Assert.Equal(new ClientSecretRevoked("svc-rev", first.Id, Later.AddMinutes(1)), Assert.Single(client.DomainEvents));
    }

    [Fact]
    public void RevokeSecret_refuses_the_last_active_secret()
    {
        var client = RegisterConfidential();
        var only = client.Secrets[0];

        var refused = AssertRefused("secret_id", () => client.RevokeSecret(only.Id, Later));
        Assert.Contains("disable the client", refused.Message, StringComparison.Ordinal);
        Assert.Single(client.Secrets);
    }

    [Fact]
    public void RevokeSecret_refuses_the_last_active_secret_even_when_an_expired_one_remains()
    {
        var client = RegisterConfidential();
        var expiring = client.AddSecret(Secret("expiring-secret-0123456789"), Now, Now.AddMinutes(1));
        var lasting = client.Secrets[0];

        AssertRefused("secret_id", () => client.RevokeSecret(lasting.Id, Later));

        client.RevokeSecret(expiring.Id, Later);
        Assert.Equal(lasting, Assert.Single(client.Secrets));
    }

    [Fact]
    public void RevokeSecret_of_an_unknown_id_is_refused()
    {
        var client = RegisterConfidential();

        AssertRefused("secret_id", () => client.RevokeSecret(Guid.NewGuid(), Later));
        Assert.Single(client.Secrets);
    }

    [Fact]
    public void Delete_raises_ClientDeleted()
    {
        var client = RegisterPublic("spa-del");
        client.ClearDomainEvents();

        client.Delete(Later);

        Assert.Equal(new ClientDeleted("spa-del", Later), Assert.Single(client.DomainEvents));
    }

    [Fact]
    public void Operations_refuse_a_local_time()
    {
        var local = new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.FromHours(1));
        var client = RegisterConfidential();

        AssertRefused("now", () => client.RotateSecret(NewSecret, Later, local));
        AssertRefused("now", () => client.RevokeSecret(client.Secrets[0].Id, local));
        AssertRefused("now", () => client.Delete(local));
    }
}
