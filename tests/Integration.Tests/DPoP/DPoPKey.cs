using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace AuthService.Integration.Tests.DPoP;

/// <summary>
/// A client's DPoP key and the proofs it signs (RFC 9449 §4.2), written by hand so each test can break exactly
/// one rule of §4.3: the header and the claims can be changed before signing.
/// </summary>
public sealed class DPoPKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;
    private readonly Ed25519PrivateKeyParameters? _ed;

    private DPoPKey(string alg, ECDsa? ec = null, RSA? rsa = null, Ed25519PrivateKeyParameters? ed = null)
    {
        Algorithm = alg;
        _ec = ec;
        _rsa = rsa;
        _ed = ed;
    }

    public const string TokenUrl = TestClients.Issuer + "/connect/token";
    public const string UserInfoUrl = TestClients.Issuer + "/connect/userinfo";

    public string Algorithm { get; }

    public static DPoPKey Es256() => new("ES256", ec: ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static DPoPKey Rs256() => new("RS256", rsa: RSA.Create(2048));

    public static DPoPKey EdDsa() => new("EdDSA", ed: new Ed25519PrivateKeyParameters(new SecureRandom()));

    /// <summary>The public JWK (RFC 7517), members as RFC 7518 §6 and RFC 8037 §2 name them.</summary>
    public JsonObject PublicJwk()
    {
        if (_ec is not null)
        {
            return Jose.PublicJwk(_ec);
        }

        if (_rsa is not null)
        {
            var parameters = _rsa.ExportParameters(false);
            return new JsonObject { ["kty"] = "RSA", ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent) };
        }

        return new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = Base64UrlEncoder.Encode(_ed!.GeneratePublicKey().GetEncoded()) };
    }

    /// <summary>RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace.</summary>
    public string Thumbprint()
    {
        var jwk = PublicJwk();
        var members = jwk["kty"]!.GetValue<string>() switch
        {
            "EC" => new[] { "crv", "kty", "x", "y" },
            "RSA" => ["e", "kty", "n"],
            _ => ["crv", "kty", "x"],
        };
        var canonical = "{" + string.Join(",", members.Select(m => $"\"{m}\":\"{jwk[m]!.GetValue<string>()}\"")) + "}";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>A proof for <paramref name="method"/> <paramref name="url"/>, fresh (new jti, iat now), optionally changed before signing.</summary>
    public string Proof(
        string method = "POST",
        string url = TokenUrl,
        string? accessToken = null,
        string? nonce = null,
        DateTimeOffset? issuedAt = null,
        Action<JsonObject>? header = null,
        Action<JsonObject>? claims = null)
    {
        var head = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = Algorithm, ["jwk"] = PublicJwk() };
        var payload = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            payload["ath"] = Ath(accessToken);
        }

        if (nonce is not null)
        {
            payload["nonce"] = nonce;
        }

        header?.Invoke(head);
        claims?.Invoke(payload);
        return Sign(Jose.Encode(head.ToJsonString()) + "." + Jose.Encode(payload.ToJsonString()));
    }

    /// <summary>Signs <paramref name="signingInput"/> with this key as <see cref="Algorithm"/> says.</summary>
    public string Sign(string signingInput)
    {
        var input = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature;
        if (_ec is not null)
        {
            signature = _ec.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        else if (_rsa is not null)
        {
            signature = _rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        else
        {
            signature = new byte[64];
            _ed!.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, input, 0, input.Length, signature, 0);
        }

        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>The private EC key members, to smuggle into the jwk header (RFC 9449 §4.3 item 7 forbids them).</summary>
    public string PrivateD() => Base64UrlEncoder.Encode(_ec!.ExportParameters(true).D);

    public static string Ath(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}
