using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Federation;
using AuthService.Integration.Tests.SecondFactors;

namespace AuthService.Integration.Tests.Passkeys;

/// <summary>
/// The ways-in rule on the passkey page (docs/adr/0037 "Administration"): an account without a password or a linked
/// identity keeps its last passkey; once another way in exists, it may go.
/// </summary>
public sealed partial class PasskeyWaysInTests(SecondFactorFixture server) : IClassFixture<SecondFactorFixture>
{
    private const string RemovePath = "/account/passkeys/remove";

    [Fact]
    public async Task The_last_passkey_of_an_account_without_a_password_stays_until_another_way_in_exists()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        var page = await PasskeyTests.RegisterAsync(browser, "m01", authenticator);
        var id = PasskeyId().Match(page).Groups[1].Value;
        var user = await FederationTesting.UserIdAsync(server.Server.Factory, "m01");
        await FederationTesting.RemovePasswordAsync(server.Server.Factory, user);

        using var refused = await AccountPageTesting.PostAsync(browser, page, RemovePath, ("id", id));

        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, refusal);
        Assert.Contains("only way you can sign in", refusal, StringComparison.Ordinal);
        Assert.Contains($"data-passkey-id=\"{id}\"", refusal, StringComparison.Ordinal);

        await FederationTesting.EnsureProviderAsync(server.Server.Factory, "acme", "Acme");
        await FederationTesting.LinkAsync(server.Server.Factory, user, "acme", "acme-m01", email: null);
        using var removed = await AccountPageTesting.PostAsync(browser, page, RemovePath, ("id", id));

        Assert.Equal("/account/passkeys?status=passkey-removed", removed.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("data-passkey-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex PasskeyId();
}
