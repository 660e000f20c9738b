using AuthService.Domain.Clients;

namespace AuthService.Domain.Tests.Clients;

public class ScopeRulesTests
{
    [Theory]
    [InlineData("api.read")]
    [InlineData("openid")]
    [InlineData("!")]
    [InlineData("~")]
    [InlineData("#[]{}")]
    [InlineData("urn:example:scope/read")]
    public void Scope_token_of_allowed_characters_is_valid(string scope) =>
        Assert.True(ScopeRules.IsValidScopeToken(scope));

    [Fact]
    public void Scope_token_of_200_characters_is_valid() =>
        Assert.True(ScopeRules.IsValidScopeToken(new string('a', 200)));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("api read")]
    [InlineData("\"api\"")]
    [InlineData("api\\read")]
    [InlineData("api\tread")]
    [InlineData("api\u0000")]
    [InlineData("api\u007f")]
    [InlineData("api\u00e9")]
    [InlineData("\u212a")]
    public void Scope_token_with_forbidden_characters_is_invalid(string scope) =>
        Assert.False(ScopeRules.IsValidScopeToken(scope));

    [Fact]
    public void Scope_token_over_200_characters_is_invalid() =>
        Assert.False(ScopeRules.IsValidScopeToken(new string('a', 201)));

    [Theory]
    [InlineData("openid")]
    [InlineData("profile")]
    [InlineData("email")]
    [InlineData("offline_access")]
    public void Identity_scopes_are_recognised(string scope) =>
        Assert.True(ScopeRules.IsIdentityScope(scope));

    [Theory]
    [InlineData("OpenID")]
    [InlineData("api.read")]
    [InlineData("openid ")]
    [InlineData("address")]
    public void Other_scopes_are_not_identity_scopes(string scope) =>
        Assert.False(ScopeRules.IsIdentityScope(scope));
}
