using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

public class ClientSecretAndStateTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    [Fact]
    public void AddSecret_keeps_the_existing_secret_and_raises_ClientSecretAdded()
    {
        var client = RegisterConfidential("svc-rotate");
        client.ClearDomainEvents();
        var second = Secret("second-secret-0123456789");

        var added = client.AddSecret(second, Later, Later.AddDays(30));

        Assert.Equal([Secret(), second], client.Secrets.Select(s => s.Hash));
        Assert.Equal(Later.AddDays(30), added.ExpiresAt);
        Assert.Equal(Later, client.UpdatedAt);
        var raised = Assert.IsType<ClientSecretAdded>(Assert.Single(client.DomainEvents));
        Assert.Equal("svc-rotate", raised.ClientId);
        Assert.Equal(added.Id, raised.SecretId);
    }

    [Fact]
    public void Added_secret_is_valid_until_its_expiry_only()
    {
        var added = RegisterConfidential().AddSecret(Secret("second-secret-0123456789"), Now, Now.AddHours(1));

        Assert.True(added.IsValidAt(Now.AddMinutes(59)));
        Assert.False(added.IsValidAt(Now.AddHours(1)));
    }

    [Fact]
    public void AddSecret_on_public_client_is_refused()
    {
        var client = RegisterPublic();

        AssertRefused("client_secret", () => client.AddSecret(Secret(), Later));
        Assert.Empty(client.Secrets);
    }

    [Fact]
    public void AddSecret_with_a_secret_already_held_is_refused()
    {
        var client = RegisterConfidential();

        AssertRefused("client_secret", () => client.AddSecret(Secret(), Later));
        Assert.Single(client.Secrets);
    }

    [Fact]
    public void AddSecret_beyond_five_valid_secrets_is_refused()
    {
        var client = RegisterConfidential();
        for (var i = 2; i <= 5; i++)
        {
            client.AddSecret(Secret($"secret-number-{i}-0123456789"), Now);
        }

        AssertRefused("client_secret", () => client.AddSecret(Secret("secret-number-6-0123456789"), Now));
        Assert.Equal(5, client.Secrets.Count);
    }

    [Fact]
    public void AddSecret_does_not_count_expired_secrets_towards_the_limit()
    {
        var client = RegisterConfidential();
        for (var i = 2; i <= 5; i++)
        {
            client.AddSecret(Secret($"secret-number-{i}-0123456789"), Now, Now.AddHours(1));
        }

        client.AddSecret(Secret("secret-number-6-0123456789"), Now.AddHours(2));

        Assert.Equal(6, client.Secrets.Count);
    }

    [Fact]
    public void AddSecret_with_expiry_in_the_past_is_refused() =>
        AssertRefused("expires_at", () => RegisterConfidential().AddSecret(Secret("second-secret-0123456789"), Later, Later.AddSeconds(-1)));

    [Fact]
    public void AddSecret_with_expiry_equal_to_now_is_refused() =>
        AssertRefused("expires_at", () => RegisterConfidential().AddSecret(Secret("second-secret-0123456789"), Later, Later));

    [Fact]
    public void AddSecret_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => RegisterConfidential().AddSecret(Secret("second-secret-0123456789"), Later.ToOffset(TimeSpan.FromHours(1))));

    [Fact]
    public void AddSecret_with_non_utc_expiry_is_refused()
    {
        var client = RegisterConfidential();

        var refused = AssertRefused("expires_at", () => client.AddSecret(Secret("second-secret-0123456789"), Later, Later.AddDays(30).ToOffset(TimeSpan.FromHours(2))));

        Assert.Contains("UTC", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Secret(), Assert.Single(client.Secrets).Hash);
        Assert.Equal(Now, client.UpdatedAt);
    }

    [Fact]
    public void Disable_then_Enable_switches_the_client_and_raises_events_with_the_client_id()
    {
        var client = RegisterConfidential("svc-toggle");
        client.ClearDomainEvents();

        client.Disable(Later);
        Assert.False(client.Enabled);
        client.Enable(Later.AddMinutes(1));
        Assert.True(client.Enabled);

        Assert.Collection(
            client.DomainEvents,
            e => Assert.Equal("svc-toggle", Assert.IsType<ClientDisabled>(e).ClientId),
            e => Assert.Equal("svc-toggle", Assert.IsType<ClientEnabled>(e).ClientId));
        Assert.Equal(Later.AddMinutes(1), client.UpdatedAt);
    }

    [Fact]
    public void Disable_twice_reports_no_change_the_second_time()
    {
        var client = RegisterConfidential();
        Assert.True(client.Disable(Later));

        Assert.False(client.Disable(Later.AddMinutes(1)));
        Assert.False(client.Enabled);
        Assert.Equal(Later, client.UpdatedAt);
        Assert.Single(client.DomainEvents.OfType<ClientDisabled>());
    }

    [Fact]
    public void Enable_an_enabled_client_reports_no_change()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        Assert.False(client.Enable(Later));
        Assert.True(client.Enabled);
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public void Disable_with_non_utc_now_is_refused()
    {
        var client = RegisterConfidential();

        AssertRefused("now", () => client.Disable(Later.ToOffset(TimeSpan.FromHours(3))));
        Assert.True(client.Enabled);
    }

    [Fact]
    public void Enable_with_non_utc_now_is_refused()
    {
        var client = RegisterConfidential();
        client.Disable(Later);

        AssertRefused("now", () => client.Enable(Later.ToOffset(TimeSpan.FromHours(3))));
        Assert.False(client.Enabled);
    }
}
