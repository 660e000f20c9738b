using System.Text.Json;
using AuthService.Infrastructure.Federation;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// The discovery document rules of <c>OpenIdConnectDiscovery.Validate</c> (pure): OIDC Discovery §4.3's issuer equality,
/// Microsoft's <c>{tenantid}</c> template for its preset only, https endpoints (http only for a loopback http issuer), the
/// RFC 8414 §2 default of client authentication.
/// </summary>
public sealed class DiscoveryDocumentTests
{
    [Fact]
    public void A_document_of_the_configured_issuer_with_https_endpoints_is_read()
    {
        var (metadata, failure) = OpenIdConnectDiscovery.Validate(Document("https://idp.example", authMethods: ["client_secret_post"], iss: true), "https://idp.example", microsoft: false);

        Assert.Null(failure);
        Assert.Equal("https://idp.example/authorize", metadata!.AuthorizationEndpoint.AbsoluteUri);
        Assert.Equal("https://idp.example/token", metadata.TokenEndpoint.AbsoluteUri);
        Assert.Equal("https://idp.example/userinfo", metadata.UserInfoEndpoint!.AbsoluteUri);
        Assert.Equal("https://idp.example/jwks", metadata.JwksUri);
        Assert.True(metadata.IssParameterSupported);
        Assert.False(metadata.UsesBasicAuthentication);
    }

    [Theory]
    [InlineData("https://idp.example/", "https://idp.example")]
    [InlineData("https://IDP.example", "https://idp.example")]
    [InlineData("https://evil.example", "https://idp.example")]
    [InlineData("https://idp.example/{tenantid}", "https://idp.example/common")]
    public void A_document_naming_another_issuer_is_refused(string documentIssuer, string configured)
    {
        var (metadata, failure) = OpenIdConnectDiscovery.Validate(Document(documentIssuer), configured, microsoft: false);

        Assert.Null(metadata);
        Assert.Contains("issuer", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/{tenantid}/v2.0", true)]
    [InlineData("https://login.microsoftonline.com/common/v2.0", true)]
    [InlineData("https://evil.example/{tenantid}/v2.0", false)]
    [InlineData("https://login.microsoftonline.com/{tenantid}/v1.0", false)]
    public void Microsofts_template_issuer_is_the_configured_one_with_the_tenant_segment_replaced(string documentIssuer, bool accepted)
    {
        var (metadata, _) = OpenIdConnectDiscovery.Validate(
            Document(documentIssuer, endpointBase: "https://login.microsoftonline.com/common"), "https://login.microsoftonline.com/common/v2.0", microsoft: true);

        Assert.Equal(accepted, metadata is not null);
    }

    [Fact]
    public void Endpoints_must_be_https_unless_the_issuer_itself_is_http_on_loopback()
    {
        Assert.NotNull(OpenIdConnectDiscovery.Validate(Document("http://127.0.0.1:5001"), "http://127.0.0.1:5001", microsoft: false).Metadata);
        Assert.Null(OpenIdConnectDiscovery.Validate(Document("https://idp.example", endpointBase: "http://idp.example"), "https://idp.example", microsoft: false).Metadata);
        Assert.Null(OpenIdConnectDiscovery.Validate(Document("http://127.0.0.1:5001", endpointBase: "http://internal.example"), "http://127.0.0.1:5001", microsoft: false).Metadata);
        Assert.Null(OpenIdConnectDiscovery.Validate(Document("https://idp.example", endpointBase: "https://user:pw@idp.example"), "https://idp.example", microsoft: false).Metadata);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"not a document\"")]
    [InlineData("{\"issuer\":\"https://idp.example\"}")]
    [InlineData("{\"issuer\":\"https://idp.example\",\"authorization_endpoint\":\"https://idp.example/a\",\"token_endpoint\":\"https://idp.example/t\",\"jwks_uri\":\"https://idp.example/k\",\"token_endpoint_auth_methods_supported\":\"client_secret_basic\"}")]
    [InlineData("{\"issuer\":\"https://idp.example\",\"authorization_endpoint\":\"https://idp.example/a\",\"token_endpoint\":\"https://idp.example/t\",\"jwks_uri\":\"https://idp.example/k\",\"userinfo_endpoint\":42}")]
    public void A_document_without_its_endpoints_or_with_ill_typed_members_is_refused(string json)
    {
        Assert.Null(OpenIdConnectDiscovery.Validate(json, "https://idp.example", microsoft: false).Metadata);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(new[] { "client_secret_basic", "client_secret_post" }, true)]
    [InlineData(new[] { "client_secret_post" }, false)]
    public void The_client_authenticates_with_Basic_unless_only_the_body_is_offered(string[]? methods, bool basic)
    {
        var (metadata, _) = OpenIdConnectDiscovery.Validate(Document("https://idp.example", authMethods: methods), "https://idp.example", microsoft: false);

        Assert.Equal(basic, metadata!.UsesBasicAuthentication);
    }

    private static string Document(string issuer, string? endpointBase = null, string[]? authMethods = null, bool iss = false)
    {
        var at = endpointBase ?? issuer.TrimEnd('/');
        var document = new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = $"{at}/authorize",
            ["token_endpoint"] = $"{at}/token",
            ["userinfo_endpoint"] = $"{at}/userinfo",
            ["jwks_uri"] = $"{at}/jwks",
            ["authorization_response_iss_parameter_supported"] = iss,
        };
        if (authMethods is not null)
        {
            document["token_endpoint_auth_methods_supported"] = authMethods;
        }

        return JsonSerializer.Serialize(document);
    }
}
