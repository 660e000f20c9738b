using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Commands.RefreshAccessToken;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Tokens;

/// <summary>
/// RFC 9700 §4.14.2 (policy: revoke): after the user's password changes, a refresh token issued
/// before the change gives <c>invalid_grant</c>, as after a logout or a disabled account. Changing the
/// password changes the security stamp, which ends the user's sessions (ADR 0012); the refresh token
/// families started in those sessions must not outlive them.
/// </summary>
public class RefreshAfterPasswordChangeTests
{
    [Fact]
    public async Task Refresh_token_issued_before_a_password_change_is_invalid_grant()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        var catalog = new InMemoryClientCatalog().Add(RegisterWeb());
        var users = new InMemoryUserRepository();
        var families = new InMemoryRefreshTokenFamilyRepository(users);
        var sessions = new InMemoryUserSessionRepository();
        var revocations = new InMemoryRevokedAccessTokenRepository();
        var unitOfWork = new FakeUnitOfWork();
        var user = RegisterUser();
        users.Add(user);
        var (session, _) = StartSession(user, clock.GetUtcNow());
        sessions.Add(session);
        var token = OpaqueToken.New();
        var (family, first) = RefreshTokenFamily.Start(Guid.NewGuid(), OpaqueToken.HashOf(token),
            new RefreshTokenGrant(ClientId, user.Id, session.Id, ["openid", "offline_access"], session.AuthenticatedAt, session.SecurityStamp),
            new RefreshTokenLifetimes(TimeSpan.FromDays(30), TimeSpan.FromDays(7)), clock.GetUtcNow());
        families.Add(family, first);
        var handler = new RefreshAccessTokenHandler(
            new ClientAuthenticator(catalog, new FakeThrottle(), new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), clock, NullLogger<ClientAuthenticator>.Instance),
            FakeDPoPProofValidator.SenderConstraint(),
            families,
            new UserTokens(new FakeAccessTokenIssuer(), new FakeIdTokenIssuer(), new FakeIssuerProvider(), Options.Create(new SignInOptions()), InMemoryProtectedResourceRepository.NoResources()),
            new TenantClaimsReader(new InMemoryTenantMembershipRepository()),
            new GrantRevocation(families, revocations, unitOfWork, clock),
            unitOfWork,
            clock,
            NullLogger<RefreshAccessTokenHandler>.Instance);
        clock.Advance(TimeSpan.FromMinutes(10));

        // The password is reset (today: by re-applying the seed file), e.g. because the account was compromised.
        user.ChangePassword(FakePasswordHasher.CurrentPrefix + "a brand new password", "stamp-2", clock.GetUtcNow());
        Assert.False(session.IsActive(clock.GetUtcNow(), user.SecurityStamp));

        var result = await handler.Handle(
            new RefreshAccessToken(new ClientCredentials(ClientId, null, PresentedAuthMethod.None), token, null, "198.51.100.7"), CancellationToken.None);

        Assert.False(result.IsSuccess, "a refresh token from before the password change still mints tokens (RFC 9700 §4.14.2)");
        Assert.Equal("invalid_grant", result.Error.Code);
    }
}
