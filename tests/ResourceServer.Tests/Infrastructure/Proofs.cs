using System.Text.Json.Nodes;

namespace AuthService.ResourceServer.Tests.Infrastructure;

/// <summary>DPoP proofs (RFC 9449 §4.2) as a client makes them, each open to one change.</summary>
public static class Proofs
{
    public static string For(
        TestSigningKey key, string method, string url, string accessToken, DateTimeOffset now,
        Action<JsonObject>? header = null, Action<JsonObject>? payload = null)
    {
        var h = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = key.Algorithm, ["jwk"] = key.PublicJwk };
        var p = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["ath"] = Jwt.Ath(accessToken),
        };
        header?.Invoke(h);
        payload?.Invoke(p);
        return Jwt.Sign(h, p, key);
    }
}
