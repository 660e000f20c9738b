using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// The time rules shared by the JWTs a client signs for this server (client assertions, request objects). FAPI 2.0
/// Security Profile §5.3.2.1: accept an <c>iat</c> or <c>nbf</c> up to 10 s in the future, refuse one more than 60 s
/// in the future; <see cref="ClockSkew"/> lies between the two (and is the leeway assertions also get on <c>exp</c>).
/// </summary>
internal static class ClientJwtTimes
{
    /// <summary>How far ahead of the server's clock a client's clock may run.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A NumericDate claim (RFC 7519 §2) as a time: an integer within the years DateTimeOffset can hold, so a
    /// planted value such as 10^13 is refused rather than overflowing.
    /// </summary>
    public static bool TryGetTime(JsonWebToken token, string claim, out DateTimeOffset time)
    {
        const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
        time = default;
        if (!token.TryGetPayloadValue<long>(claim, out var seconds) || seconds is < 0 or > MaxSeconds)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary><c>iat</c> and <c>nbf</c>, when present, are NumericDates at most <see cref="ClockSkew"/> ahead of <paramref name="now"/>.</summary>
    public static bool IssuedAndValidFromNotAhead(JsonWebToken token, DateTimeOffset now) =>
        ((string[])[JwtRegisteredClaimNames.Nbf, JwtRegisteredClaimNames.Iat]).All(claim =>
            !token.TryGetClaim(claim, out _) || (TryGetTime(token, claim, out var at) && at <= now + ClockSkew));
}
