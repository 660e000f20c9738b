using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthService.ResourceServer.Jose;

/// <summary>
/// A public key read from a JWK (RFC 7517), able to verify the JWS algorithms of its own key type only: an EC
/// key never verifies an RSA or EdDSA signature and the other way round, so a header cannot pair a key with
/// another algorithm family (RFC 8725 §3.1).
/// </summary>
internal abstract class VerificationKey
{
    protected VerificationKey(string? keyId, string? algorithm)
    {
        KeyId = keyId;
        Algorithm = algorithm;
    }

    /// <summary>The JWK's <c>kid</c>, if any.</summary>
    public string? KeyId { get; }

    /// <summary>The JWK's <c>alg</c>, if any: when present, the only algorithm the key verifies (RFC 7517 §4.4).</summary>
    public string? Algorithm { get; }

    /// <summary>The RFC 7638 JWK SHA-256 thumbprint, base64url.</summary>
    public string Thumbprint => Base64UrlSha256(ThumbprintInput);

    /// <summary>RFC 7638 §3.2: the required members of the key type, in lexicographic order, no whitespace.</summary>
    protected abstract string ThumbprintInput { get; }

    public bool Verify(string algorithm, byte[] signingInput, byte[] signature) =>
        (Algorithm is null || string.Equals(Algorithm, algorithm, StringComparison.Ordinal))
        && JwsAlgorithms.IsVerifiable(algorithm)
        && VerifyCore(algorithm, signingInput, signature);

    protected abstract bool VerifyCore(string algorithm, byte[] signingInput, byte[] signature);

    public static string Base64UrlSha256(string value) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>
    /// The JSON of an RFC 7638 input: the members given, already in lexicographic order, as JSON strings.
    /// </summary>
    protected static string Canonical(params (string Name, string Value)[] members) =>
        "{" + string.Join(',', members.Select(m => JsonSerializer.Serialize(m.Name) + ":" + JsonSerializer.Serialize(m.Value))) + "}";
}

/// <summary>
/// EC and RSA keys: .NET's implementations are not documented as safe for concurrent use of one instance, so
/// verifications rent an instance from a small pool built from the imported parameters.
/// </summary>
internal abstract class PooledVerificationKey<T>(string? keyId, string? algorithm) : VerificationKey(keyId, algorithm)
    where T : AsymmetricAlgorithm
{
    private readonly ConcurrentBag<T> _pool = [];

    protected abstract T CreateInstance();

    protected bool WithInstance(Func<T, bool> verify)
    {
        var instance = _pool.TryTake(out var pooled) ? pooled : CreateInstance();
        try
        {
            return verify(instance);
        }
        finally
        {
            if (_pool.Count < Environment.ProcessorCount * 2)
            {
                _pool.Add(instance);
            }
            else
            {
                instance.Dispose();
            }
        }
    }
}

/// <summary>An EC key on P-256, P-384 or P-521 (RFC 7518 §6.2); ES256/ES384/ES512 each on their own curve only (RFC 7518 §3.4).</summary>
internal sealed class EcVerificationKey : PooledVerificationKey<ECDsa>
{
    private readonly ECParameters _parameters;
    private readonly string _curve;
    private readonly string _x;
    private readonly string _y;

    public EcVerificationKey(string curve, string x, string y, ECParameters parameters, string? keyId, string? algorithm)
        : base(keyId, algorithm)
    {
        _curve = curve;
        _x = x;
        _y = y;
        _parameters = parameters;
        using var probe = CreateInstance(); // imports, so a point that is not on the curve is refused here
    }

    protected override string ThumbprintInput => Canonical(("crv", _curve), ("kty", "EC"), ("x", _x), ("y", _y));

    protected override ECDsa CreateInstance() => ECDsa.Create(_parameters);

    protected override bool VerifyCore(string algorithm, byte[] signingInput, byte[] signature)
    {
        HashAlgorithmName? hash = (algorithm, _curve) switch
        {
            (JwsAlgorithms.ES256, "P-256") => HashAlgorithmName.SHA256,
            (JwsAlgorithms.ES384, "P-384") => HashAlgorithmName.SHA384,
            (JwsAlgorithms.ES512, "P-521") => HashAlgorithmName.SHA512,
            _ => null,
        };

        // JWS carries R || S of fixed width (RFC 7518 §3.4), which is .NET's IEEE P1363 format.
        return hash is { } h && WithInstance(ec => ec.VerifyData(signingInput, signature, h, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }
}

/// <summary>An RSA key of at least 2048 bits (RFC 7518 §3.3, §3.5): RS* with PKCS #1 v1.5, PS* with PSS.</summary>
internal sealed class RsaVerificationKey : PooledVerificationKey<RSA>
{
    public const int MinimumBits = 2048;

    private readonly RSAParameters _parameters;
    private readonly string _n;
    private readonly string _e;

    public RsaVerificationKey(string n, string e, RSAParameters parameters, string? keyId, string? algorithm)
        : base(keyId, algorithm)
    {
        _n = n;
        _e = e;
        _parameters = parameters;
        using var probe = CreateInstance();
    }

    protected override string ThumbprintInput => Canonical(("e", _e), ("kty", "RSA"), ("n", _n));

    protected override RSA CreateInstance() => RSA.Create(_parameters);

    protected override bool VerifyCore(string algorithm, byte[] signingInput, byte[] signature)
    {
        (HashAlgorithmName Hash, RSASignaturePadding Padding)? scheme = algorithm switch
        {
            JwsAlgorithms.RS256 => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            JwsAlgorithms.RS384 => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            JwsAlgorithms.RS512 => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            JwsAlgorithms.PS256 => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            JwsAlgorithms.PS384 => (HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
            JwsAlgorithms.PS512 => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
            _ => null,
        };

        return scheme is { } s && WithInstance(rsa => rsa.VerifyData(signingInput, signature, s.Hash, s.Padding));
    }
}
