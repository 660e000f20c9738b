using AuthService.Application.Seeding.Commands.ApplySeed;
using static AuthService.Application.Tests.Seeding.SeedClients;

namespace AuthService.Application.Tests.Seeding;

public class ApplySeedValidatorTests
{
    private static FluentValidation.Results.ValidationResult Validate(SeedDocument document) =>
        new ApplySeedValidator().Validate(new ApplySeed(document));

    [Fact]
    public void Valid_document_has_no_errors()
    {
        var result = Validate(Document(Service("svc"), Browser("spa")));

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(513)]
    public void Secret_of_wrong_length_is_an_error_on_client_secret_that_does_not_contain_it(int length)
    {
        var secret = string.Concat(Enumerable.Repeat("Zq9", 200))[..length];

        var result = Validate(Document(Service("svc", secret)));

        var error = Assert.Single(result.Errors);
        Assert.EndsWith("client_secret", error.PropertyName, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.AttemptedValue?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_error_names_the_client_by_its_index()
    {
        var result = Validate(Document(Service("svc"), Service("svc-2", "too-short")));

        Assert.Equal("clients[1].client_secret", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Null_client_entry_is_an_error_on_that_entry_not_an_exception()
    {
        var result = Validate(new SeedDocument([Service("svc"), null!], Users: null));

        var error = Assert.Single(result.Errors);
        Assert.Equal("clients[1]", error.PropertyName);
        Assert.DoesNotContain(Secret, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_null_client_entry_is_an_error_on_clients_0()
    {
        var result = Validate(new SeedDocument([null!], Users: null));

        Assert.Equal("clients[0]", Assert.Single(result.Errors).PropertyName);
    }

    [Theory]
    [InlineData("redirect_uris", null)]
    [InlineData("redirect_uris", "")]
    [InlineData("grant_types", null)]
    [InlineData("grant_types", "")]
    [InlineData("post_logout_redirect_uris", null)]
    [InlineData("post_logout_redirect_uris", "")]
    public void Null_or_empty_list_entry_is_an_error_on_that_member_that_does_not_contain_the_secret(string member, string? entry)
    {
        string[] entries = member == "grant_types" ? ["client_credentials", entry!] : ["https://c1.example/cb", entry!];
        var client = member switch
        {
            "redirect_uris" => Service("svc") with { RedirectUris = entries },
            "grant_types" => Service("svc") with { GrantTypes = entries },
            _ => Service("svc") with { PostLogoutRedirectUris = entries },
        };

        var result = Validate(Document(client));

        var error = Assert.Single(result.Errors);
        Assert.Equal($"clients[0].{member}", error.PropertyName);
        Assert.DoesNotContain(Secret, result.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(512)]
    public void Secret_of_16_to_512_characters_is_accepted(int length) =>
        Assert.True(Validate(Document(Service("svc", new string('q', length)))).IsValid);

    [Fact]
    public void Duplicate_client_id_is_an_error_on_clients()
    {
        var result = Validate(Document(Service("svc"), Browser("svc")));

        var error = Assert.Single(result.Errors);
        Assert.Equal("clients", error.PropertyName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_client_id_is_an_error_on_client_id(string? clientId)
    {
        var result = Validate(Document(Service("svc") with { ClientId = clientId }));

        Assert.Contains(result.Errors, e => e.PropertyName.EndsWith("client_id", StringComparison.Ordinal));
    }

    [Fact]
    public void Client_id_over_200_characters_is_an_error_on_client_id()
    {
        var result = Validate(Document(Service(new string('c', 201))));

        Assert.EndsWith("client_id", Assert.Single(result.Errors).PropertyName, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_over_4096_characters_is_an_error_on_scope()
    {
        var result = Validate(Document(Service("svc") with { Scope = new string('s', 4097) }));

        Assert.EndsWith("scope", Assert.Single(result.Errors).PropertyName, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_without_clients_is_valid() =>
        Assert.True(Validate(new SeedDocument(null, null)).IsValid);
}
