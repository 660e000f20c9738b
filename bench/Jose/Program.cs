using System.Diagnostics;
using System.Security.Cryptography;
using Jose;
using Microsoft.IdentityModel.Tokens;

// The JOSE work on the token endpoint's hot path, measured for both libraries with the same claims
// and keys: sign an RFC 9068 access token and validate one (signature, alg, typ, iss, exp).
// The rounds alternate A, B, A, B... so that load from other processes on a shared machine falls on
// both sides alike; the result per case is the median round. docs/adr/0016 records the figures.
if (args is ["strictness"])
{
    Strictness.Probe();
    return;
}

var primitives = args is ["primitives", ..];
var numbers = primitives ? args[1..] : args;
var rounds = numbers.Length > 0 ? int.Parse(numbers[0]) : 15;
var perRound = numbers.Length > 1 ? int.Parse(numbers[1]) : 2000;
if (primitives)
{
    // The raw signature primitives under the three algorithms, without any JOSE library around them.
    var input = System.Text.Encoding.ASCII.GetBytes(new string('a', 300));
    using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var ed25519 = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
    var ed25519Public = ed25519.GeneratePublicKey();
    var edSignature = new byte[64];
    ed25519.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, input, 0, input.Length, edSignature, 0);
    var ecSignature = p256.SignData(input, HashAlgorithmName.SHA256);
    Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeVersion()}, {rounds} rounds x {perRound} operations, median round");
    Console.WriteLine("| primitive | ECDSA P-256 (.NET, OpenSSL) µs/op | Ed25519 (BouncyCastle 2.7.0) µs/op | Ed25519 / ECDSA |");
    Console.WriteLine("|---|---:|---:|---:|");
    Report("sign 300 bytes", Measure(() => p256.SignData(input, HashAlgorithmName.SHA256), () =>
    {
        var signature = new byte[64];
        ed25519.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, input, 0, input.Length, signature, 0);
        return signature;
    }));
    Report("verify", Measure(() => p256.VerifyData(input, ecSignature, HashAlgorithmName.SHA256),
        () => ed25519Public.Verify(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, input, 0, input.Length, edSignature, 0)));
    return;
}

using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
using var rsa = RSA.Create(3072);
var cases = new[]
{
    new Case("ES256", new ECDsaSecurityKey(ec) { KeyId = "ec-1" }, ec, JwsAlgorithm.ES256),
    new Case("RS256-3072", new RsaSecurityKey(rsa) { KeyId = "rsa-1" }, rsa, JwsAlgorithm.RS256),
};

Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeVersion()}, {rounds} rounds x {perRound} operations, median round");
Console.WriteLine("| operation | IdentityModel 8.16.0 µs/op | jose-jwt 5.3.0 µs/op | jose-jwt / IdentityModel |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var c in cases)
{
    var identityModelToken = c.IdentityModelSign();
    var joseToken = c.JoseSign();
    Require(c.IdentityModelValidate(joseToken) && c.JoseValidate(identityModelToken), "each library must accept the other's tokens");
    Report($"sign {c.Name}", Measure(() => c.IdentityModelSign(), () => c.JoseSign()));
    Report($"validate {c.Name}", Measure(() => c.IdentityModelValidate(identityModelToken), () => c.JoseValidate(identityModelToken)));
}

(double A, double B) Measure(Func<object> a, Func<object> b)
{
    for (var i = 0; i < perRound; i++)
    {
        a();
        b();
    }

    var timesA = new List<double>();
    var timesB = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        timesA.Add(Time(a));
        timesB.Add(Time(b));
    }

    return (Median(timesA), Median(timesB));
}

double Time(Func<object> operation)
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < perRound; i++)
    {
        operation();
    }

    return watch.Elapsed.TotalMicroseconds / perRound;
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

static void Report(string operation, (double A, double B) result) =>
    Console.WriteLine($"| {operation} | {result.A:F1} | {result.B:F1} | {result.B / result.A:P0} |");

static void Require(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException(what);
    }
}

static string RuntimeVersion() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
