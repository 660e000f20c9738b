using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.Tests.Fakes;
using static AuthService.Application.Tests.AccessTokensData;
using static AuthService.Application.Tests.TestClients;

namespace AuthService.Application.Tests.Security;

/// <summary>Who stands behind an exchanged token (RFC 8693): another client, or an external issuer while it is trusted.</summary>
public class AccessTokenOwnersTests
{
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly TrustedIssuers _issuers = new();
    private readonly AccessTokenOwners _owners;

    public AccessTokenOwnersTests()
    {
        _catalog.Add(RegisterService("svc")).Add(RegisterService("holder"));
        _owners = new AccessTokenOwners(_catalog, new InMemoryUserRepository(), _issuers);
    }

    [Fact]
    public async Task A_token_for_another_client_is_current_while_that_client_exists_with_or_without_an_actor()
    {
        Assert.True(await _owners.AreCurrentAsync(Token("svc") with { Subject = "holder" }, CancellationToken.None));
        Assert.True(await _owners.AreCurrentAsync(Token("svc") with { Subject = "holder", Actor = new TokenActor("someone") }, CancellationToken.None));
        Assert.False(await _owners.AreCurrentAsync(Token("svc") with { Subject = "deleted-client" }, CancellationToken.None));
    }

    [Fact]
    public async Task An_external_subject_is_current_only_while_its_issuer_is_trusted()
    {
        var token = Token("svc") with { Subject = ExternalSubject.Format("https://idp.example", "user-42") };
        _issuers.Trusted.Add("https://idp.example");
        Assert.True(await _owners.AreCurrentAsync(token, CancellationToken.None));

        _issuers.Trusted.Clear();
        Assert.False(await _owners.AreCurrentAsync(token, CancellationToken.None));
        Assert.False(await _owners.AreCurrentAsync(Token("svc") with { Subject = "|user-42" }, CancellationToken.None));
    }

    [Theory]
    [InlineData("https://idp.example|user-42", "https://idp.example")]
    [InlineData("https://idp.example|a|b", "https://idp.example")]
    [InlineData("https://idp.example|", null)]
    [InlineData("|user", null)]
    [InlineData("plain-client", null)]
    public void The_issuer_of_an_external_subject_is_before_the_first_separator(string subject, string? issuer) =>
        Assert.Equal(issuer, ExternalSubject.IssuerOf(subject));

    private sealed class TrustedIssuers : IExternalTokenValidator
    {
        public HashSet<string> Trusted { get; } = new(StringComparer.Ordinal);

        public ValueTask<ExternalToken?> ValidateAsync(string token, CancellationToken cancellationToken) => ValueTask.FromResult<ExternalToken?>(null);

        public bool IsTrusted(string issuer) => Trusted.Contains(issuer);
    }
}
