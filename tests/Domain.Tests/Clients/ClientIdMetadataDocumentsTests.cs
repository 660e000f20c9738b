using AuthService.Domain.Clients;
using AuthService.Domain.Common;

namespace AuthService.Domain.Tests.Clients;

/// <summary>The rules of draft-ietf-oauth-client-id-metadata-document on the client_id URL and on the client a document describes.</summary>
public class ClientIdMetadataDocumentsTests
{
    private const string Url = "https://tool.example/oauth/client.json";

    [Theory]
    [InlineData("https://tool.example/client.json")]
    [InlineData("https://tool.example/")]
    [InlineData("https://tool.example:8443/a/b/client")]
    [InlineData("https://tool.example/client?v=1")] // SHOULD NOT, not MUST NOT
    [InlineData("https://127.0.0.1:5000/client.json")]
    public void ValidateUrl_accepts_https_urls_with_a_path(string url) =>
        Assert.Null(ClientIdMetadataDocuments.ValidateUrl(url));

    [Theory]
    [InlineData("http://tool.example/client.json")]
    [InlineData("tool.example/client.json")]
    [InlineData("https://tool.example")]
    [InlineData("https://tool.example?x=1")]
    [InlineData("https://tool.example/client.json#frag")]
    [InlineData("https://tool.example/client.json#")]
    [InlineData("https://user@tool.example/client.json")]
    [InlineData("https://user:pass@tool.example/client.json")]
    [InlineData("https://tool.example/a/../client.json")]
    [InlineData("https://tool.example/./client.json")]
    [InlineData("https://tool.example/a/%2e%2e/client.json")]
    [InlineData("https://tool.example/a/%2E/client.json")]
    [InlineData("https://tool.example/a/..")]
    [InlineData("https://tool.example\\evil.example/client.json")]
    [InlineData("https://tool.example/cli ent.json")]
    [InlineData("https://tool.example/clïent.json")]
    public void ValidateUrl_refuses_what_the_draft_forbids(string url) =>
        Assert.NotNull(ClientIdMetadataDocuments.ValidateUrl(url));

    [Fact]
    public void ValidateUrl_refuses_a_url_longer_than_a_client_id() =>
        Assert.NotNull(ClientIdMetadataDocuments.ValidateUrl("https://tool.example/" + new string('a', Client.MaxClientIdLength)));

    [Theory]
    [InlineData("https://tool.example/x", true)]
    [InlineData("http://tool.example/x", false)]
    [InlineData("HTTPS://tool.example/x", false)]
    [InlineData("my-client", false)]
    public void IsDocumentUrl_is_the_https_prefix(string clientId, bool expected) =>
        Assert.Equal(expected, ClientIdMetadataDocuments.IsDocumentUrl(clientId));

    [Fact]
    public void ClientFor_builds_a_public_client_that_always_asks_for_consent()
    {
        var client = ClientIdMetadataDocuments.ClientFor(Url, Settings(TokenEndpointAuthMethods.None));
        Assert.Equal(ClientType.Public, client.Type);
        Assert.True(client.RequireConsent);
        Assert.Equal(DateTimeOffset.UnixEpoch, client.CreatedAt);
        Assert.True(client.Vouches(DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData(TokenEndpointAuthMethods.ClientSecretBasic)]
    [InlineData(TokenEndpointAuthMethods.ClientSecretPost)]
    [InlineData(TokenEndpointAuthMethods.ClientSecretJwt)]
    [InlineData(TokenEndpointAuthMethods.TlsClientAuth)]
    public void ClientFor_refuses_every_method_but_none_and_private_key_jwt(string method)
    {
        var error = Assert.Throws<DomainRuleViolationException>(() => ClientIdMetadataDocuments.ClientFor(Url, Settings(method)));
        Assert.Equal("token_endpoint_auth_method", error.Field);
    }

    [Fact]
    public void ClientFor_private_key_jwt_needs_keys_as_every_client()
    {
        var error = Assert.Throws<DomainRuleViolationException>(() => ClientIdMetadataDocuments.ClientFor(Url, Settings(TokenEndpointAuthMethods.PrivateKeyJwt)));
        Assert.Equal("jwks", error.Field);
    }

    [Theory]
    [InlineData(GrantTypes.ClientCredentials)]
    public void ClientFor_refuses_grants_other_than_code_and_refresh(string grant)
    {
        var settings = Settings(TokenEndpointAuthMethods.PrivateKeyJwt) with { GrantTypes = [GrantTypes.AuthorizationCode, grant] };
        var error = Assert.Throws<DomainRuleViolationException>(() => ClientIdMetadataDocuments.ClientFor(Url, settings with { JwksUri = "https://tool.example/jwks" }));
        Assert.Equal("grant_types", error.Field);
    }

    [Fact]
    public void ClientFor_refuses_a_first_party_client()
    {
        var error = Assert.Throws<DomainRuleViolationException>(() =>
            ClientIdMetadataDocuments.ClientFor(Url, Settings(TokenEndpointAuthMethods.None) with { RequireConsent = false }));
        Assert.Equal("require_consent", error.Field);
    }

    [Fact]
    public void ClientFor_applies_the_redirect_uri_rules_of_every_client()
    {
        var error = Assert.Throws<DomainRuleViolationException>(() =>
            ClientIdMetadataDocuments.ClientFor(Url, Settings(TokenEndpointAuthMethods.None) with { RedirectUris = ["javascript:alert(1)"] }));
        Assert.Equal("redirect_uris", error.Field);
    }

    [Fact]
    public void ClientFor_refuses_an_invalid_url() =>
        Assert.Equal("client_id", Assert.Throws<DomainRuleViolationException>(() =>
            ClientIdMetadataDocuments.ClientFor("https://tool.example", Settings(TokenEndpointAuthMethods.None))).Field);

    private static ClientSettings Settings(string method) => new(
        "Tool", method, ["http://127.0.0.1/callback"], [], [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken], ["openid"],
        ClientSettings.DefaultAccessTokenLifetime, null);
}
