using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure.Security;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Users;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// A user whose stored hash is still PBKDF2-HMAC-SHA512 (docs/adr/0010) signs in through the real pages and
/// leaves with an Argon2id hash (docs/adr/0017), written in the same save as the sign-in; the security stamp,
/// and so every session and grant bound to it, stays. A wrong password changes nothing. Own server: the
/// test rewrites a seeded user's hash in the database.
/// </summary>
public sealed class PasswordRehashTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    [Fact]
    public async Task A_pbkdf2_user_signs_in_and_is_stored_with_an_argon2id_hash_keeping_the_security_stamp()
    {
        var (legacy, stamp) = await GiveBobAPbkdf2HashAsync();

        using (var wrong = server.NewBrowser())
        {
            var (response, html) = await SignInFailure.AttemptAsync(wrong, AuthorizeCfUrl(), SignInClients.BobUsername, "not-bobs-password");
            SignInFailure.AssertFailed(response, html);
        }

        Assert.Equal((legacy, stamp), await BobsCredentialsAsync());

        using var browser = server.NewBrowser();
        var code = await browser.CodeAsync(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New(),
            username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        Assert.False(string.IsNullOrEmpty(code));

        var (hash, stampAfter) = await BobsCredentialsAsync();
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        Assert.Equal(stamp, stampAfter);
        var hasher = new Argon2idPasswordHasher();
        Assert.Equal(PasswordVerification.Success, hasher.Verify(hash, SignInClients.BobPassword));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify(hash, "not-bobs-password"));

        // The upgraded hash serves the next sign-in as it is: no second re-hash.
        using var again = server.NewBrowser();
        await again.CodeAsync(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New(),
            username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        Assert.Equal((hash, stamp), await BobsCredentialsAsync());
    }

    private static string AuthorizeCfUrl() => Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New());

    private async Task<(string Hash, string Stamp)> GiveBobAPbkdf2HashAsync()
    {
        var legacy = Argon2idPasswordHasherTests.Pbkdf2Hash(SignInClients.BobPassword, 210_000);
        await server.Database.ScalarAsync<int>(
            "UPDATE users SET password_hash = @hash WHERE username = @name RETURNING 1", ("hash", legacy), ("name", SignInClients.BobUsername));
        return (legacy, (await BobsCredentialsAsync()).Stamp);
    }

    private async Task<(string Hash, string Stamp)> BobsCredentialsAsync()
    {
        var row = Assert.Single(await server.Database.QueryAsync(
            "SELECT password_hash, security_stamp FROM users WHERE username = @name", ("name", SignInClients.BobUsername)));
        return ((string)row[0], (string)row[1]);
    }
}
