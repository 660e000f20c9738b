using System.Security.Cryptography;
using System.Text;
using Jose;

/// <summary>
/// What jose-jwt's <c>JWT.Verify</c> does with the hostile inputs JwtAccessTokenValidator refuses
/// (RFC 8725 §2, §3.1, §3.6): each line says whether jose-jwt accepted the token.
/// </summary>
internal static class Strictness
{
    public static void Probe()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var good = JWT.Encode("{\"sub\":\"a\"}", ec, JwsAlgorithm.ES256);
        var parts = good.Split('.');
        var signature = parts[2];

        Report("alg none, no expected alg", () => JWT.Verify(Unsigned("{\"alg\":\"none\"}", "{\"sub\":\"a\"}"), ec));
        Report("alg none, expected ES256", () => JWT.Verify(Unsigned("{\"alg\":\"none\"}", "{\"sub\":\"a\"}"), ec, JwsAlgorithm.ES256));
        Report("HS256 keyed with the public key bytes", () =>
        {
            var publicKey = ec.ExportSubjectPublicKeyInfo();
            return JWT.Verify(JWT.Encode("{\"sub\":\"a\"}", publicKey, JwsAlgorithm.HS256), ec);
        });
        Report("crit with an unknown member", () => JWT.Verify(JWT.Encode("{\"sub\":\"a\"}", ec, JwsAlgorithm.ES256,
            new Dictionary<string, object> { ["crit"] = new[] { "x-unknown" }, ["x-unknown"] = 1 }), ec, JwsAlgorithm.ES256));
        Report("jku header pointing elsewhere", () => JWT.Verify(JWT.Encode("{\"sub\":\"a\"}", ec, JwsAlgorithm.ES256,
            new Dictionary<string, object> { ["jku"] = "https://attacker.example/jwks" }), ec, JwsAlgorithm.ES256));
        Report("b64 false without crit (RFC 7797 §6 requires crit)", () => JWT.Verify(JWT.Encode("{\"sub\":\"a\"}", ec, JwsAlgorithm.ES256,
            new Dictionary<string, object> { ["b64"] = false }, options: new JwtOptions { EncodePayload = false }), ec, JwsAlgorithm.ES256));
        Report("duplicate payload member (exp twice)", () => JWT.Verify(JWT.Encode("{\"sub\":\"a\",\"exp\":1,\"exp\":4102444800}", ec, JwsAlgorithm.ES256), ec, JwsAlgorithm.ES256));
        Report("duplicate header member (alg twice)", () => JWT.Verify(
            Signed(ec, "{\"alg\":\"ES256\",\"alg\":\"none\"}", "{\"sub\":\"a\"}"), ec, JwsAlgorithm.ES256));
        Report("tampered payload", () => JWT.Verify(parts[0] + "." + Base64Url.Encode(Encoding.UTF8.GetBytes("{\"sub\":\"b\"}")) + "." + signature, ec, JwsAlgorithm.ES256));
        Report("expired exp (library checks claims?)", () => JWT.Verify(JWT.Encode("{\"sub\":\"a\",\"exp\":1}", ec, JwsAlgorithm.ES256), ec, JwsAlgorithm.ES256));
        Report("EdDSA algorithm available", () => JwsAlgorithm.TryParse("EdDSA", out JwsAlgorithm _) ? "yes" : throw new NotSupportedException("no EdDSA member in JwsAlgorithm"));
    }

    private static string Unsigned(string header, string payload) =>
        Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payload)) + ".";

    private static string Signed(ECDsa key, string header, string payload)
    {
        var input = Unsigned(header, payload).TrimEnd('.');
        return input + "." + Base64Url.Encode(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    private static void Report(string probe, Func<object> verify)
    {
        string outcome;
        try
        {
            verify();
            outcome = "ACCEPTED";
        }
        catch (Exception ex)
        {
            outcome = $"refused ({ex.GetType().Name})";
        }

        Console.WriteLine($"| {probe} | {outcome} |");
    }
}
