using System.Text.Json;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Registration;
using AuthService.Application.Registration.Commands.DeleteRegisteredClient;
using AuthService.Application.Registration.Commands.RegisterDynamicClient;
using AuthService.Application.Registration.Commands.UpdateRegisteredClient;
using AuthService.Application.Registration.Common;
using AuthService.Application.Registration.Queries.ReadRegisteredClient;

namespace AuthService.Application.Tests.Registration;

/// <summary>Reading a registration body (RFC 7591 §2) and the operator's policy, without a server.</summary>
public class RegistrationRequestTests
{
    private static readonly RegistrationOptions Options = new() { Policy = RegistrationOptions.Open };

    private static RegistrationRequest Parse(string json)
    {
        var parsed = RegistrationRequest.Parse(JsonDocument.Parse(json).RootElement);
        Assert.True(parsed.IsSuccess, parsed.Error?.Description);
        return parsed.Value;
    }

    [Fact]
    public void Only_known_members_are_read_and_server_extensions_are_ignored()
    {
        var request = Parse("""{"client_name":"A","redirect_uris":["http://127.0.0.1/cb"],"require_consent":false,"audience":"x","access_token_lifetime":30,"profile":"fapi2","logo_uri":"https://l"}""");

        Assert.Equal("A", request.Metadata.ClientName);
        Assert.Null(request.Metadata.RequireConsent);
        Assert.Null(request.Metadata.Audience);
        Assert.Null(request.Metadata.AccessTokenLifetime);
        Assert.Null(request.Metadata.Profile);
    }

    [Fact]
    public void The_policy_applies_RFC_7591_defaults_and_the_allowed_scopes_and_always_requires_consent()
    {
        var metadata = Parse("""{"redirect_uris":["https://a.example/cb"]}""").ApplyPolicy(Options);

        Assert.True(metadata.IsSuccess);
        Assert.Equal("client_secret_basic", metadata.Value.TokenEndpointAuthMethod);
        Assert.Equal(["authorization_code"], metadata.Value.GrantTypes);
        Assert.Equal("openid profile email offline_access", metadata.Value.Scope);
        Assert.True(metadata.Value.RequireConsent);
    }

    [Theory]
    [InlineData("""{"grant_types":["client_credentials"]}""", "grant_types")]
    [InlineData("""{"scope":"openid admin"}""", "scope")]
    [InlineData("""{"token_endpoint_auth_method":"client_secret_jwt"}""", "token_endpoint_auth_method")]
    [InlineData("""{"response_types":["code","token"]}""", "response_types")]
    [InlineData("""{"jwks_uri":"http://10.0.0.1/keys"}""", "jwks_uri")]
    public void What_the_policy_does_not_allow_is_invalid_client_metadata_naming_the_member(string json, string member)
    {
        var metadata = Parse(json).ApplyPolicy(Options);

        Assert.False(metadata.IsSuccess);
        Assert.Equal(OAuthErrorCodes.InvalidClientMetadata, metadata.Error.Code);
        Assert.Contains(member, metadata.Error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_software_statement_is_invalid_software_statement()
    {
        var metadata = Parse("""{"software_statement":"a.b.c"}""").ApplyPolicy(Options);

        Assert.Equal(OAuthErrorCodes.InvalidSoftwareStatement, metadata.Error!.Code);
    }

    [Fact]
    public void A_member_of_the_wrong_type_names_the_member_and_not_an_object_is_refused()
    {
        var wrong = RegistrationRequest.Parse(JsonDocument.Parse("""{"redirect_uris":"https://a.example/cb"}""").RootElement);
        Assert.Contains("redirect_uris", wrong.Error!.Description, StringComparison.Ordinal);

        Assert.Equal(OAuthError.RegistrationBodyInvalid, RegistrationRequest.Parse(JsonDocument.Parse("[]").RootElement).Error);
    }

    [Fact]
    public void Requests_never_print_their_tokens_or_secrets()
    {
        var body = JsonDocument.Parse("""{"client_secret":"s3cret"}""").RootElement;
        string[] printed =
        [
            new RegisterDynamicClient(body, "iat-value").ToString(),
            new ReadRegisteredClient("c", "rat-value").ToString(),
            new UpdateRegisteredClient("c", "rat-value", body).ToString(),
            new DeleteRegisteredClient("c", "rat-value").ToString(),
            Parse("""{"client_secret":"s3cret"}""").ToString(),
        ];

        Assert.All(printed, text =>
        {
            Assert.DoesNotContain("iat-value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("rat-value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        });
    }
}
