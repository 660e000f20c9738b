using AuthService.Application.Common.Protocol;

namespace AuthService.Application.Tests.Protocol;

public class ScopeSetTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_of_no_scope_is_an_empty_list(string? scope)
    {
        var parsed = ScopeSet.Parse(scope);

        Assert.True(parsed.IsSuccess);
        Assert.Empty(parsed.Value);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("   ")]
    public void Parse_of_only_spaces_is_invalid_scope(string scope)
    {
        var parsed = ScopeSet.Parse(scope);

        Assert.False(parsed.IsSuccess);
        Assert.Equal("invalid_scope", parsed.Error.Code);
    }

    [Fact]
    public void Parse_tolerates_repeated_leading_and_trailing_spaces()
    {
        var parsed = ScopeSet.Parse("  api.read    api.write ");

        Assert.True(parsed.IsSuccess);
        Assert.Equal(["api.read", "api.write"], parsed.Value);
    }

    [Fact]
    public void Parse_removes_duplicates_keeping_first_occurrence_order()
    {
        var parsed = ScopeSet.Parse("b a b c a");

        Assert.True(parsed.IsSuccess);
        Assert.Equal(["b", "a", "c"], parsed.Value);
    }

    [Fact]
    public void Parse_is_case_sensitive()
    {
        var parsed = ScopeSet.Parse("Api api");

        Assert.True(parsed.IsSuccess);
        Assert.Equal(["Api", "api"], parsed.Value);
    }

    [Theory]
    [InlineData("api \"read\"")]
    [InlineData("api\\read")]
    [InlineData("api\tread")]
    [InlineData("api\u00e9")]
    public void Parse_of_malformed_scope_is_invalid_scope(string scope)
    {
        var parsed = ScopeSet.Parse(scope);

        Assert.False(parsed.IsSuccess);
        Assert.Equal("invalid_scope", parsed.Error.Code);
    }

    [Fact]
    public void Parse_of_more_than_100_scopes_is_invalid_scope()
    {
        var parsed = ScopeSet.Parse(string.Join(' ', Enumerable.Range(0, 101).Select(i => $"s{i}")));

        Assert.Equal("invalid_scope", parsed.Error?.Code);
    }

    [Fact]
    public void Parse_of_100_scopes_succeeds() =>
        Assert.Equal(100, ScopeSet.Parse(string.Join(' ', Enumerable.Range(0, 100).Select(i => $"s{i}"))).Value?.Count);

    [Fact]
    public void Parse_of_more_than_4096_characters_is_invalid_scope() =>
        Assert.Equal("invalid_scope", ScopeSet.Parse(new string('a', 100) + new string(' ', 4000)).Error?.Code);

    [Fact]
    public void Format_joins_with_single_spaces() =>
        Assert.Equal("b a c", ScopeSet.Format(["b", "a", "c"]));

    [Fact]
    public void Format_of_nothing_is_empty() =>
        Assert.Equal(string.Empty, ScopeSet.Format([]));
}
