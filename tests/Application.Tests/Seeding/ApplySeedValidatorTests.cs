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
