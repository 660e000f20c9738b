using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

public class ClientConsentAndIdTokenAlgTests
{
    private const string AlgField = "id_token_signed_response_alg";
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    [Fact]
    public void Settings_default_to_consent_required_and_RS256()
    {
        var settings = Public();

        Assert.True(settings.RequireConsent);
        Assert.Equal("RS256", settings.IdTokenSignedResponseAlg);
    }

    [Fact]
    public void Register_with_default_settings_requires_consent_and_signs_with_RS256()
    {
        var client = RegisterPublic();

        Assert.True(client.RequireConsent);
        Assert.Equal("RS256", client.IdTokenSignedResponseAlg);
    }

    [Fact]
    public void Register_copies_RequireConsent_and_IdTokenSignedResponseAlg()
    {
        var client = Client.Register("first-party", Public() with { RequireConsent = false, IdTokenSignedResponseAlg = "ES256" }, secret: null, Now);

        Assert.False(client.RequireConsent);
        Assert.Equal("ES256", client.IdTokenSignedResponseAlg);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public void Register_with_a_supported_alg_is_accepted(string alg) =>
        Assert.Equal(alg, Client.Register("spa", Public() with { IdTokenSignedResponseAlg = alg }, secret: null, Now).IdTokenSignedResponseAlg);

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("HS256")]
    [InlineData("HS512")]
    [InlineData("PS256")]
    [InlineData("RS512")]
    [InlineData("rs256")]
    [InlineData("RS256 ")]
    [InlineData(" ES256")]
    [InlineData("")]
    public void Register_with_an_unsupported_alg_is_refused(string alg) =>
        AssertRefused(AlgField, () => Client.Register("spa", Public() with { IdTokenSignedResponseAlg = alg }, secret: null, Now));

    [Fact]
    public void Register_with_a_null_alg_is_refused() =>
        AssertRefused(AlgField, () => Client.Register("spa", Public() with { IdTokenSignedResponseAlg = null! }, secret: null, Now));

    [Fact]
    public void ValidateSettings_refuses_an_unsupported_alg() =>
        AssertRefused(AlgField, () => Client.ValidateSettings(Confidential() with { IdTokenSignedResponseAlg = "HS256" }));

    [Fact]
    public void Reconfigure_copies_RequireConsent_and_IdTokenSignedResponseAlg()
    {
        var client = RegisterPublic();

        Assert.True(client.Reconfigure(Public() with { RequireConsent = false, IdTokenSignedResponseAlg = "ES256" }, null, Later));

        Assert.False(client.RequireConsent);
        Assert.Equal("ES256", client.IdTokenSignedResponseAlg);
        Assert.Equal(Later, client.UpdatedAt);
    }

    [Fact]
    public void Reconfigure_with_only_RequireConsent_changed_returns_true_and_raises_ClientReconfigured()
    {
        var client = RegisterPublic("spa-consent");
        client.ClearDomainEvents();

        var changed = client.Reconfigure(Public() with { RequireConsent = false }, null, Later);

        Assert.True(changed);
        Assert.False(client.RequireConsent);
        Assert.Equal(Later, client.UpdatedAt);
        Assert.Equal("spa-consent", Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents)).ClientId);
    }

    [Fact]
    public void Reconfigure_turning_consent_back_on_returns_true()
    {
        var client = Client.Register("first-party", Public() with { RequireConsent = false }, secret: null, Now);

        Assert.True(client.Reconfigure(Public(), null, Later));
        Assert.True(client.RequireConsent);
    }

    [Fact]
    public void Reconfigure_with_only_the_alg_changed_returns_true()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        Assert.True(client.Reconfigure(Confidential() with { IdTokenSignedResponseAlg = "ES256" }, null, Later));

        Assert.Equal("ES256", client.IdTokenSignedResponseAlg);
        Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents));
    }

    [Fact]
    public void Reconfigure_with_identical_non_default_settings_returns_false()
    {
        var settings = Public() with { RequireConsent = false, IdTokenSignedResponseAlg = "ES256" };
        var client = Client.Register("first-party", settings, secret: null, Now);
        client.ClearDomainEvents();

        Assert.False(client.Reconfigure(Public() with { RequireConsent = false, IdTokenSignedResponseAlg = "ES256" }, null, Later));

        Assert.False(client.RequireConsent);
        Assert.Equal("ES256", client.IdTokenSignedResponseAlg);
        Assert.Equal(Now, client.UpdatedAt);
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public void Reconfigure_with_identical_default_settings_returns_false()
    {
        var client = RegisterPublic();
        client.ClearDomainEvents();

        Assert.False(client.Reconfigure(Public() with { RequireConsent = true, IdTokenSignedResponseAlg = "RS256" }, null, Later));
        Assert.Empty(client.DomainEvents);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("")]
    public void Reconfigure_with_an_unsupported_alg_is_refused_and_leaves_the_client_unchanged(string alg)
    {
        var client = RegisterPublic();
        client.ClearDomainEvents();

        AssertRefused(AlgField, () => client.Reconfigure(Public() with { ClientName = "Renamed", RequireConsent = false, IdTokenSignedResponseAlg = alg }, null, Later));

        Assert.Equal("Browser App", client.ClientName);
        Assert.True(client.RequireConsent);
        Assert.Equal("RS256", client.IdTokenSignedResponseAlg);
        Assert.Equal(Now, client.UpdatedAt);
        Assert.Empty(client.DomainEvents);
    }
}
