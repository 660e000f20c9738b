using System.Text.Json.Nodes;
using AuthService.Application.Clients.MetadataDocuments;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;

namespace AuthService.Application.Tests.Clients;

/// <summary>What a client ID metadata document may say, and what it cannot make the server believe.</summary>
public class ClientIdMetadataDocumentTests
{
    private const string Url = "https://tool.example/client.json";
    private static readonly string[] Allowed = ["openid", "offline_access", "mcp:tools"];

    [Fact]
    public void A_minimal_public_document_becomes_a_public_client_with_every_allowed_scope()
    {
        var client = ClientIdMetadataDocument.Parse(Url, Document().ToJsonString(), Allowed);
        Assert.Equal(Url, client.ClientId);
        Assert.Equal(ClientType.Public, client.Type);
        Assert.Equal(Url, client.ClientName);
        Assert.Equal(Allowed, client.AllowedScopes);
        Assert.Equal(["http://127.0.0.1/callback"], client.RedirectUris);
    }

    [Fact]
    public void The_document_scope_is_narrowed_to_the_allowed_scopes()
    {
        var document = Document();
        document["scope"] = "mcp:tools admin openid mcp:tools";
        Assert.Equal(["mcp:tools", "openid"], ClientIdMetadataDocument.Parse(Url, document.ToJsonString(), Allowed).AllowedScopes);
    }

    // Members that would make a stranger trusted are not read.
    [Fact]
    public void Trust_members_are_ignored()
    {
        var document = Document();
        document["require_consent"] = false;
        document["access_token_lifetime"] = 30;
        document["audience"] = "https://api.example";
        document["logo_uri"] = "https://tool.example/logo.png";
        var client = ClientIdMetadataDocument.Parse(Url, document.ToJsonString(), Allowed);
        Assert.True(client.RequireConsent);
        Assert.Null(client.Audience);
        Assert.Equal(ClientSettings.DefaultAccessTokenLifetime, client.AccessTokenLifetime);
    }

    [Theory]
    [InlineData("https://tool.example/client.json/")]
    [InlineData("https://TOOL.example/client.json")]
    [InlineData("https://tool.example/client.json?")]
    [InlineData("https://tool.example/Client.json")]
    [InlineData("")]
    public void A_client_id_other_than_the_url_is_refused(string clientId)
    {
        var document = Document();
        document["client_id"] = clientId;
        Assert.Equal("client_id", Refused(document).Field);
    }

    [Fact]
    public void A_document_without_client_id_is_refused()
    {
        var document = Document();
        document.Remove("client_id");
        Assert.Equal("client_id", Refused(document).Field);
    }

    [Theory]
    [InlineData("client_secret")]
    [InlineData("client_secret_expires_at")]
    public void Secret_members_are_refused(string member)
    {
        var document = Document();
        document[member] = member == "client_secret" ? "a-secret-0123456789" : 0;
        Assert.Equal("client_secret", Refused(document).Field);
    }

    [Theory]
    [InlineData("[\"token\"]")]
    [InlineData("[\"code\", \"id_token\"]")]
    [InlineData("[]")]
    public void Response_types_other_than_code_are_refused(string responseTypes)
    {
        var document = Document();
        document["response_types"] = JsonNode.Parse(responseTypes);
        Assert.Equal("response_types", Refused(document).Field);
    }

    // The aggregate's key-set rules: a private key published in the document is refused, as at registration.
    [Fact]
    public void A_private_key_in_jwks_is_refused()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        var document = Document();
        document["token_endpoint_auth_method"] = "private_key_jwt";
        document["jwks"] = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = "k1",
                ["x"] = Convert.ToBase64String(parameters.Q.X!).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                ["y"] = Convert.ToBase64String(parameters.Q.Y!).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                ["d"] = Convert.ToBase64String(parameters.D!).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            }),
        };
        Assert.Equal("jwks", Refused(document).Field);
    }

    [Fact]
    public void A_null_redirect_uri_entry_is_refused()
    {
        var document = Document();
        document["redirect_uris"] = new JsonArray(null, "http://127.0.0.1/callback");
        Assert.Equal("redirect_uris", Refused(document).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"client_id\": [1]}")]
    [InlineData("{")]
    public void A_body_that_is_not_a_metadata_object_is_refused(string body) =>
        Assert.Equal("document", Assert.Throws<DomainRuleViolationException>(() => ClientIdMetadataDocument.Parse(Url, body, Allowed)).Field);

    private static DomainRuleViolationException Refused(JsonObject document) =>
        Assert.Throws<DomainRuleViolationException>(() => ClientIdMetadataDocument.Parse(Url, document.ToJsonString(), Allowed));

    private static JsonObject Document() => new()
    {
        ["client_id"] = Url,
        ["redirect_uris"] = new JsonArray("http://127.0.0.1/callback"),
        ["token_endpoint_auth_method"] = "none",
    };
}
