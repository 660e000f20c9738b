using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// Authorization codes are unguessable (ASVS 11.5.1, light: OAuth 2.1 "Credentials-Guessing
/// Attacks", ASVS 11.5.1): 256-bit random values, base64url, never repeated.
/// </summary>
public sealed class AuthorizeCodeTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    [Fact]
    public async Task Fifty_codes_from_fifty_flows_are_distinct_43_character_base64url_strings()
    {
        using var browser = server.NewBrowser();
        var codes = new List<string> { AssertCode(await CompleteAsync(browser, await browser.GetAsync(Cw()), "m01"), SignInClients.CWRedirect) };
        for (var i = 1; i < 50; i++)
        {
            using var response = await browser.GetAsync(Cw(("state", "st-" + i)));
            codes.Add(AssertCode(response, SignInClients.CWRedirect, "st-" + i));
        }

        Assert.All(codes, code => Assert.Matches("^[A-Za-z0-9_-]{43}$", code));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());

        // No shared prefix or suffix beyond chance (a counter or timestamp would show as one).
        Assert.True(codes.Select(c => c[..4]).Distinct(StringComparer.Ordinal).Count() > 40, "The codes share their first characters.");
        Assert.True(codes.Select(c => c[^4..]).Distinct(StringComparer.Ordinal).Count() > 40, "The codes share their last characters.");

        // Every base64url character position carries entropy: over 50 codes each position takes many values.
        for (var position = 0; position < 42; position++)
        {
            var distinct = codes.Select(c => c[position]).Distinct().Count();
            Assert.True(distinct >= 15, $"Position {position} takes only {distinct} values over 50 codes.");
        }
    }

    [Fact] // A code issued straight from the session (no page shown) is as good as the first: each redeems for its own verifier.
    public async Task Codes_of_successive_flows_in_one_session_each_redeem()
    {
        using var browser = server.NewBrowser();
        var first = PkcePair.New();
        var firstCode = AssertCode(await CompleteAsync(browser,
            await browser.GetAsync(Url(SignInClients.CW, SignInClients.CWRedirect, "openid", first)), "m02"), SignInClients.CWRedirect);
        var second = PkcePair.New();
        var secondCode = AssertCode(await browser.GetAsync(Url(SignInClients.CW, SignInClients.CWRedirect, "openid", second)), SignInClients.CWRedirect);

        using var firstTokens = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, firstCode, first.Verifier, SignInClients.CWRedirect);
        using var secondTokens = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, secondCode, second.Verifier, SignInClients.CWRedirect);

        await OAuthAssert.TokenSuccessAsync(firstTokens, codeFlow: true);
        await OAuthAssert.TokenSuccessAsync(secondTokens, codeFlow: true);
    }
}
