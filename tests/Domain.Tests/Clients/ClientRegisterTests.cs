using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

public class ClientRegisterTests
{
    [Fact]
    public void Register_confidential_client_keeps_settings_and_one_secret()
    {
        var client = Client.Register("svc", Confidential() with { Audience = "https://api.example" }, Secret(), Now);

        Assert.Equal("svc", client.ClientId);
        Assert.Equal("Service One", client.ClientName);
        Assert.Equal(ClientType.Confidential, client.Type);
        Assert.Equal("client_secret_basic", client.TokenEndpointAuthMethod);
        Assert.Equal(["client_credentials"], client.GrantTypes);
        Assert.Equal(["api.read", "api.write"], client.AllowedScopes);
        Assert.Equal(TimeSpan.FromMinutes(10), client.AccessTokenLifetime);
        Assert.Equal("https://api.example", client.Audience);
        Assert.True(client.Enabled);
        Assert.Equal(Now, client.CreatedAt);
        var secret = Assert.Single(client.Secrets);
        Assert.Equal(Secret(), secret.Hash);
        Assert.Null(secret.ExpiresAt);
    }

    [Fact]
    public void Register_raises_ClientRegistered_with_the_client_id()
    {
        var client = RegisterConfidential("svc-events");

        var registered = Assert.IsType<ClientRegistered>(Assert.Single(client.DomainEvents));
        Assert.Equal("svc-events", registered.ClientId);
        Assert.Equal(Now, registered.OccurredAt);
    }

    [Fact]
    public void Register_public_client_without_secret_is_public_and_holds_no_secret()
    {
        var client = RegisterPublic();

        Assert.Equal(ClientType.Public, client.Type);
        Assert.Empty(client.Secrets);
        Assert.Equal(["https://c1.example/cb"], client.RedirectUris);
        Assert.Equal(["https://c1.example/bye"], client.PostLogoutRedirectUris);
    }

    [Fact]
    public void Register_public_client_with_secret_is_refused() =>
        AssertRefused("client_secret", () => Client.Register("spa", Public(), Secret(), Now));

    [Fact]
    public void Register_confidential_client_without_secret_is_refused() =>
        AssertRefused("client_secret", () => Client.Register("svc", Confidential(), secret: null, Now));

    [Fact]
    public void Register_public_client_for_client_credentials_is_refused() =>
        AssertRefused("grant_types", () => Client.Register("spa", Public() with { GrantTypes = ["client_credentials"] }, null, Now));

    [Fact]
    public void Register_public_client_for_token_exchange_is_refused() =>
        AssertRefused("grant_types", () => Client.Register("spa", Public() with { GrantTypes = ["authorization_code", GrantTypes.TokenExchange] }, null, Now));

    [Fact]
    public void Register_confidential_client_for_token_exchange_is_accepted() =>
        Assert.True(Client.Register("svc", Confidential() with { GrantTypes = [GrantTypes.TokenExchange] }, Secret(), Now).AllowsGrant(GrantTypes.TokenExchange));

    [Theory]
    [InlineData("password")]
    [InlineData("implicit")]
    [InlineData("urn:foo")]
    [InlineData("CLIENT_CREDENTIALS")]
    [InlineData("")]
    public void Register_with_unsupported_grant_type_is_refused(string grantType) =>
        AssertRefused("grant_types", () => Client.Register("svc", Confidential() with { GrantTypes = [grantType] }, Secret(), Now));

    [Fact]
    public void Register_without_grant_types_is_refused() =>
        AssertRefused("grant_types", () => Client.Register("svc", Confidential() with { GrantTypes = [] }, Secret(), Now));

    [Fact]
    public void Register_refresh_token_without_authorization_code_is_refused() =>
        AssertRefused("grant_types", () => Client.Register(
            "svc", Confidential() with { GrantTypes = ["client_credentials", "refresh_token"] }, Secret(), Now));

    // RFC 8628 §3.5: the device grant issues refresh tokens as the code flow does; it needs no redirect URI.
    [Fact]
    public void Register_device_code_with_refresh_token_without_authorization_code_is_accepted()
    {
        var client = Client.Register("tv", Public() with { GrantTypes = [GrantTypes.DeviceCode, GrantTypes.RefreshToken], RedirectUris = [] }, null, Now);

        Assert.True(client.AllowsGrant(GrantTypes.DeviceCode));
        Assert.True(client.AllowsGrant(GrantTypes.RefreshToken));
    }

    [Fact]
    public void Register_authorization_code_without_redirect_uris_is_refused() =>
        AssertRefused("redirect_uris", () => Client.Register("spa", Public() with { RedirectUris = [] }, null, Now));

    [Fact]
    public void Register_with_repeated_grant_type_is_refused() =>
        AssertRefused("grant_types", () => Client.Register(
            "svc", Confidential() with { GrantTypes = ["client_credentials", "client_credentials"] }, Secret(), Now));

    [Fact]
    public void Register_with_repeated_scope_is_refused() =>
        AssertRefused("scope", () => Client.Register("svc", Confidential() with { AllowedScopes = ["api.read", "api.read"] }, Secret(), Now));

    [Fact]
    public void Register_with_repeated_redirect_uri_is_refused() =>
        AssertRefused("redirect_uris", () => Client.Register(
            "spa", Public() with { RedirectUris = ["https://c1.example/cb", "https://c1.example/cb"] }, null, Now));

    [Fact]
    public void Register_with_repeated_post_logout_redirect_uri_is_refused() =>
        AssertRefused("post_logout_redirect_uris", () => Client.Register(
            "spa", Public() with { PostLogoutRedirectUris = ["https://c1.example/bye", "https://c1.example/bye"] }, null, Now));

    [Fact]
    public void Register_with_plain_http_redirect_uri_is_refused() =>
        AssertRefused("redirect_uris", () => Client.Register("spa", Public() with { RedirectUris = ["http://c1.example/cb"] }, null, Now));

    [Fact]
    public void Register_with_javascript_post_logout_redirect_uri_is_refused() =>
        AssertRefused("post_logout_redirect_uris", () => Client.Register(
            "spa", Public() with { PostLogoutRedirectUris = ["javascript:alert(1)"] }, null, Now));

    [Fact]
    public void Register_with_more_than_50_redirect_uris_is_refused()
    {
        var uris = Enumerable.Range(0, 51).Select(i => $"https://c1.example/cb{i}").ToArray();

        AssertRefused("redirect_uris", () => Client.Register("spa", Public() with { RedirectUris = uris }, null, Now));
    }

    [Theory]
    [InlineData("api read")]
    [InlineData("api\"read")]
    [InlineData("api\\read")]
    [InlineData("api\u0001read")]
    [InlineData("api\tread")]
    [InlineData("api\u007fread")]
    [InlineData("api.r\u00e9ad")]
    [InlineData("")]
    public void Register_with_malformed_scope_token_is_refused(string scope) =>
        AssertRefused("scope", () => Client.Register("svc", Confidential() with { AllowedScopes = ["api.write", scope] }, Secret(), Now));

    [Fact]
    public void Register_with_scope_token_over_200_characters_is_refused() =>
        AssertRefused("scope", () => Client.Register("svc", Confidential() with { AllowedScopes = [new string('s', 201)] }, Secret(), Now));

    [Fact]
    public void Register_with_scope_token_of_200_characters_is_accepted()
    {
        var client = Client.Register("svc", Confidential() with { AllowedScopes = [new string('s', 200)] }, Secret(), Now);

        Assert.Equal(200, Assert.Single(client.AllowedScopes).Length);
    }

    [Fact]
    public void Register_with_more_than_100_scopes_is_refused()
    {
        var scopes = Enumerable.Range(0, 101).Select(i => $"scope{i}").ToArray();

        AssertRefused("scope", () => Client.Register("svc", Confidential() with { AllowedScopes = scopes }, Secret(), Now));
    }

    [Fact]
    public void Register_with_100_scopes_is_accepted()
    {
        var scopes = Enumerable.Range(0, 100).Select(i => $"scope{i}").ToArray();

        Assert.Equal(100, Client.Register("svc", Confidential() with { AllowedScopes = scopes }, Secret(), Now).AllowedScopes.Count);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(3601)]
    [InlineData(0)]
    [InlineData(-60)]
    public void Register_with_lifetime_outside_30_to_3600_seconds_is_refused(int seconds) =>
        AssertRefused("access_token_lifetime", () => Client.Register(
            "svc", Confidential() with { AccessTokenLifetime = TimeSpan.FromSeconds(seconds) }, Secret(), Now));

    [Theory]
    [InlineData(30)]
    [InlineData(3600)]
    public void Register_with_lifetime_at_the_bounds_is_accepted(int seconds)
    {
        var client = Client.Register("svc", Confidential() with { AccessTokenLifetime = TimeSpan.FromSeconds(seconds) }, Secret(), Now);

        Assert.Equal(TimeSpan.FromSeconds(seconds), client.AccessTokenLifetime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("svc\t1")]
    [InlineData("svc\n")]
    [InlineData("svc\u0000")]
    [InlineData("svc\u007f")]
    [InlineData("sv\u00e7")]
    [InlineData("svc\u212a")]
    [InlineData(" svc")]
    [InlineData("svc ")]
    public void Register_with_invalid_client_id_is_refused(string clientId) =>
        AssertRefused("client_id", () => Client.Register(clientId, Confidential(), Secret(), Now));

    [Fact]
    public void Register_with_null_client_id_is_refused() =>
        AssertRefused("client_id", () => Client.Register(null!, Confidential(), Secret(), Now));

    [Fact]
    public void Register_with_client_id_over_200_characters_is_refused() =>
        AssertRefused("client_id", () => Client.Register(new string('c', 201), Confidential(), Secret(), Now));

    [Theory]
    [InlineData(200)]
    [InlineData(1)]
    public void Register_with_client_id_of_allowed_length_is_accepted(int length) =>
        Assert.Equal(length, Client.Register(new string('c', length), Confidential(), Secret(), Now).ClientId.Length);

    [Fact]
    public void Register_with_inner_space_in_client_id_is_accepted() =>
        Assert.Equal("my svc", Client.Register("my svc", Confidential(), Secret(), Now).ClientId);

    [Theory]
    [InlineData("client_assertion")]
    [InlineData("Private_Key_Jwt")]
    [InlineData("tls")]
    [InlineData("Client_Secret_Basic")]
    [InlineData("")]
    public void Register_with_unsupported_auth_method_is_refused(string method) =>
        AssertRefused("token_endpoint_auth_method", () => Client.Register(
            "svc", Confidential() with { TokenEndpointAuthMethod = method }, Secret(), Now));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Register_without_client_name_is_refused(string name) =>
        AssertRefused("client_name", () => Client.Register("svc", Confidential() with { ClientName = name }, Secret(), Now));

    [Theory]
    [InlineData("")]
    [InlineData("api example")]
    [InlineData("api\u00e9")]
    public void Register_with_malformed_audience_is_refused(string audience) =>
        AssertRefused("audience", () => Client.Register("svc", Confidential() with { Audience = audience }, Secret(), Now));

    [Fact]
    public void Register_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => Client.Register("svc", Confidential(), Secret(), Now.ToOffset(TimeSpan.FromHours(2))));

    [Fact]
    public void Register_copies_the_settings_lists()
    {
        var scopes = new List<string> { "api.read" };
        var client = Client.Register("svc", Confidential() with { AllowedScopes = scopes }, Secret(), Now);

        scopes.Add("api.admin");

        Assert.Equal(["api.read"], client.AllowedScopes);
    }

    [Fact]
    public void AllowsGrant_matches_registered_grant_types_exactly()
    {
        var client = RegisterConfidential();

        Assert.True(client.AllowsGrant("client_credentials"));
        Assert.False(client.AllowsGrant("Client_Credentials"));
        Assert.False(client.AllowsGrant("authorization_code"));
    }
}
