using System.Text.Json.Nodes;

namespace AuthService.ResourceServer.Tests.Infrastructure;

/// <summary>Access tokens as AuthService issues them (RFC 9068), at the API's fake clock, each open to one change.</summary>
public static class Tokens
{
    public static JsonObject Header(TestSigningKey key) => new() { ["alg"] = key.Algorithm, ["kid"] = key.KeyId, ["typ"] = "at+jwt" };

    public static JsonObject Payload(DateTimeOffset now, string scope = "orders.read orders.write") => new()
    {
        ["iss"] = FakeAuthority.Issuer,
        ["aud"] = ProtectedApi.Audience,
        ["sub"] = "service-1",
        ["client_id"] = "service-1",
        ["scope"] = scope,
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
    };

    public static string Access(TestSigningKey key, DateTimeOffset now, Action<JsonObject>? header = null, Action<JsonObject>? payload = null, string scope = "orders.read orders.write")
    {
        var h = Header(key);
        var p = Payload(now, scope);
        header?.Invoke(h);
        payload?.Invoke(p);
        return Jwt.Sign(h, p, key);
    }

    /// <summary>A token bound to a DPoP key (RFC 9449 §6.1: <c>cnf.jkt</c>).</summary>
    public static string DpopBound(TestSigningKey signer, DateTimeOffset now, TestSigningKey proofKey, string scope = "orders.read orders.write") =>
        Access(signer, now, payload: p => p["cnf"] = new JsonObject { ["jkt"] = proofKey.Thumbprint }, scope: scope);

    /// <summary>A token bound to a certificate (RFC 8705 §3.1: <c>cnf.x5t#S256</c>).</summary>
    public static string CertificateBound(TestSigningKey signer, DateTimeOffset now, string certificateThumbprint) =>
        Access(signer, now, payload: p => p["cnf"] = new JsonObject { ["x5t#S256"] = certificateThumbprint });
}
