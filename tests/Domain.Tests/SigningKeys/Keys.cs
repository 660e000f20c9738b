using AuthService.Domain.SigningKeys;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.SigningKeys;

/// <summary>Builds signing keys in a given state through their public transitions.</summary>
internal static class Keys
{
    public static SigningKey Pending(string kid, string alg = SigningAlgorithms.ES256, DateTimeOffset? activatesAt = null, DateTimeOffset? createdAt = null) =>
        SigningKey.Generate(kid, alg, "{\"kty\":\"EC\"}", [1, 2, 3], "kek1", createdAt ?? Now, activatesAt ?? createdAt ?? Now);

    public static SigningKey Active(string kid, string alg = SigningAlgorithms.ES256, DateTimeOffset? activatedAt = null)
    {
        var at = activatedAt ?? Now;
        var key = Pending(kid, alg, at, at);
        key.Activate(at);
        return key;
    }

    public static SigningKey Retired(string kid, string alg = SigningAlgorithms.ES256)
    {
        var key = Active(kid, alg);
        key.Retire(Now.AddHours(1), Now.AddHours(2));
        return key;
    }

    public static SigningKey Removed(string kid, string alg = SigningAlgorithms.ES256)
    {
        var key = Retired(kid, alg);
        key.Remove(Now.AddHours(3));
        return key;
    }

    public static SigningKey Revoked(string kid, string alg = SigningAlgorithms.ES256)
    {
        var key = Active(kid, alg);
        key.Revoke(Now.AddHours(1));
        return key;
    }
}
