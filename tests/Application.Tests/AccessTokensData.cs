using AuthService.Application.Common.Interfaces;
using AuthService.Application.Tests.Fakes;

namespace AuthService.Application.Tests;

/// <summary>Validated access tokens as the validator would hand them back.</summary>
internal static class AccessTokensData
{
    public static readonly DateTimeOffset IssuedAt = TestClock.Start;

    /// <summary>A token of <paramref name="clientId"/>, issued at the fake clock's start, valid 15 minutes.</summary>
    public static ValidatedAccessToken Token(string clientId = "svc", string jwtId = "jti-1", IReadOnlyList<string>? audiences = null) => new(
        JwtId: jwtId,
        ClientId: clientId,
        Subject: clientId,
        Audiences: audiences ?? ["https://api.example"],
        Scope: "api.read api.write",
        Issuer: FakeIssuerProvider.DefaultIssuer,
        IssuedAt: IssuedAt,
        NotBefore: IssuedAt.AddSeconds(5),
        ExpiresAt: IssuedAt.AddMinutes(15));
}
