using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// Builds forged compact JWS strings for the JOSE attacks of the catalogue (CVE-2024-37568, ASVS 9.1):
/// a real token with its header or payload altered (the signature no longer matches), or a token signed
/// with the attacker's own key or an HMAC keyed with public key material.
/// </summary>
public static class Jose
{
    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public static string Decode(string segment) => Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(segment));

    public static (string Header, string Payload, string Signature) Split(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return (parts[0], parts[1], parts[2]);
    }

    public static JsonObject Header(string token) => JsonNode.Parse(Decode(Split(token).Header))!.AsObject();

    public static JsonObject Payload(string token) => JsonNode.Parse(Decode(Split(token).Payload))!.AsObject();

    /// <summary>The token with its header changed by <paramref name="change"/>; payload and signature kept.</summary>
    public static string WithHeader(string token, Action<JsonObject> change)
    {
        var (_, payload, signature) = Split(token);
        var header = Header(token);
        change(header);
        return Encode(header.ToJsonString()) + "." + payload + "." + signature;
    }

    /// <summary>The token with its payload changed by <paramref name="change"/>; header and signature kept.</summary>
    public static string WithPayload(string token, Action<JsonObject> change)
    {
        var (header, _, signature) = Split(token);
        var payload = Payload(token);
        change(payload);
        return header + "." + Encode(payload.ToJsonString()) + "." + signature;
    }

    /// <summary>ES256 over <c>header.payload</c> with <paramref name="key"/> (JWS uses the fixed-size r||s form).</summary>
    public static string SignEs256(JsonObject header, string payloadSegment, ECDsa key) =>
        SignEs256(Encode(header.ToJsonString()) + "." + payloadSegment, key);

    /// <summary>ES256 over the given signing input (<c>header.payload</c>, already encoded).</summary>
    public static string SignEs256(string signingInput, ECDsa key)
    {
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>HS256 over <c>header.payload</c> keyed with <paramref name="key"/> (the CVE-2024-37568 forgery).</summary>
    public static string SignHs256(JsonObject header, string payloadSegment, byte[] key)
    {
        var input = Encode(header.ToJsonString()) + "." + payloadSegment;
        return input + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The public JWK of <paramref name="key"/>, as a JSON object.</summary>
    public static JsonObject PublicJwk(ECDsa key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
    }

    /// <summary>A published key of the server (from its JWKS) by key type: the raw JSON text of the JWK and its members.</summary>
    public static (string Kid, string RawJson, JsonElement Jwk) PublishedKey(string jwksJson, string kty)
    {
        var keys = JsonDocument.Parse(jwksJson).RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("kty").GetString() == kty).ToList();
        var key = Assert.Single(keys);
        return (key.GetProperty("kid").GetString()!, key.GetRawText(), key.Clone());
    }

    /// <summary>The SubjectPublicKeyInfo PEM of a published JWK (the "PEM-prefixed" key bytes of CVE-2026-114615).</summary>
    public static string PublicKeyPem(JsonElement jwk) => jwk.GetProperty("kty").GetString() switch
    {
        "RSA" => RsaFrom(jwk).ExportSubjectPublicKeyInfoPem(),
        "EC" => ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("x").GetString()), Y = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("y").GetString()) },
        }).ExportSubjectPublicKeyInfoPem(),
        var other => throw new InvalidOperationException($"Unexpected kty {other}."),
    };

    private static RSA RsaFrom(JsonElement jwk) => RSA.Create(new RSAParameters
    {
        Modulus = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("n").GetString()),
        Exponent = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("e").GetString()),
    });
}
