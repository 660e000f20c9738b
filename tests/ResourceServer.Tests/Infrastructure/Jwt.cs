using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AuthService.ResourceServer.Tests.Infrastructure;

/// <summary>Compact JWS built by hand, so that each test can make a token differ from a good one in exactly one way.</summary>
public static class Jwt
{
    public static string Encode(JsonObject header, JsonObject payload, Func<byte[], byte[]> sign)
    {
        var input = Part(header) + "." + Part(payload);
        return input + "." + TestSigningKey.B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string Sign(JsonObject header, JsonObject payload, TestSigningKey key) =>
        Encode(header, payload, input => key.Sign(input, header["alg"]?.GetValue<string>() ?? key.Algorithm));

    /// <summary><c>alg: none</c>: an empty signature part.</summary>
    public static string Unsigned(JsonObject header, JsonObject payload) => Part(header) + "." + Part(payload) + ".";

    /// <summary>An HMAC keyed with <paramref name="secret"/> (the algorithm-confusion attack uses the public key's bytes).</summary>
    public static string Hs256(JsonObject header, JsonObject payload, byte[] secret) => Encode(header, payload, input => HMACSHA256.HashData(secret, input));

    public static string Part(JsonObject json) => TestSigningKey.B64(Encoding.UTF8.GetBytes(json.ToJsonString()));

    /// <summary>RFC 9449 §4.2: <c>ath</c> is base64url(SHA-256(ASCII(access token))).</summary>
    public static string Ath(string accessToken) => TestSigningKey.B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
}
