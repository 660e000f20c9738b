using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Passkeys;

/// <summary>
/// A passkey authenticator in the test: one ES256 (P-256) credential, made and used the way WebAuthn Level 3 describes
/// it: clientDataJSON (§5.8.1), authenticator data with the rpIdHash, flags and counter (§6.1), attested credential data
/// with the COSE key (§6.5.1, RFC 9053 §7.1), attestation "none" (§8.7), and assertion signatures over authenticatorData ||
/// SHA-256(clientDataJSON) (§6.3.3). Every knob a test turns to make a bad answer is a parameter.
/// </summary>
internal sealed class SoftwareAuthenticator : IDisposable
{
    /// <summary>The test server's issuer: its origin and host are what a browser on its pages sees.</summary>
    public const string Issuer = TestClients.Issuer;

    public static readonly string Origin = new Uri(Issuer).GetLeftPart(UriPartial.Authority);

    public static readonly string RpId = new Uri(Issuer).Host;

    private const byte UserPresent = 0x01;
    private const byte UserVerified = 0x04;
    private const byte BackupEligible = 0x08;
    private const byte BackedUp = 0x10;
    private const byte AttestedCredentialData = 0x40;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public SoftwareAuthenticator(bool synced = false)
    {
        Synced = synced;
    }

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);

    public bool Synced { get; }

    /// <summary>The user handle the registration's options named (what a discoverable credential stores).</summary>
    public byte[]? UserHandle { get; private set; }

    public uint Counter { get; set; }

    /// <summary>The JSON a browser posts for navigator.credentials.create() with these creation options (from the page's data attribute).</summary>
    public string Register(string optionsJson, string? origin = null, string? rpId = null, byte[]? credentialId = null)
    {
        var options = JsonNode.Parse(optionsJson)!;
        Assert.Equal("required", options["authenticatorSelection"]?["residentKey"]?.GetValue<string>());
        Assert.Equal("none", options["attestation"]?.GetValue<string>());
        Assert.Equal(RpId, options["rp"]?["id"]?.GetValue<string>());
        UserHandle = FromBase64Url(options["user"]!["id"]!.GetValue<string>());
        var id = credentialId ?? CredentialId;
        var clientData = ClientData("webauthn.create", options["challenge"]!.GetValue<string>(), origin ?? Origin);

        var parameters = _key.ExportParameters(false);
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2); // kty: EC2
        cose.WriteInt32(3); cose.WriteInt32(-7); // alg: ES256
        cose.WriteInt32(-1); cose.WriteInt32(1); // crv: P-256
        cose.WriteInt32(-2); cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();

        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)id.Length);
        var authenticatorData = AuthenticatorData(rpId ?? RpId, (byte)(UserPresent | UserVerified | AttestedCredentialData | Flags()),
            [.. new byte[16], .. length, .. id, .. cose.Encode()]);

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString(authenticatorData);
        attestation.WriteEndMap();

        return Credential(id, new
        {
            clientDataJSON = ToBase64Url(clientData),
            attestationObject = ToBase64Url(attestation.Encode()),
            transports = new[] { "internal" },
        });
    }

    /// <summary>The JSON a browser posts for navigator.credentials.get() with these request options; the counter moves on first.</summary>
    public string Sign(string optionsJson, string? origin = null, string? rpId = null, bool userVerified = true, uint? counter = null)
    {
        var options = JsonNode.Parse(optionsJson)!;
        Assert.Equal(RpId, options["rpId"]?.GetValue<string>());
        Counter = counter ?? Counter + 1;
        var clientData = ClientData("webauthn.get", options["challenge"]!.GetValue<string>(), origin ?? Origin);
        var authenticatorData = AuthenticatorData(rpId ?? RpId, (byte)(UserPresent | (userVerified ? UserVerified : 0) | Flags()), []);
        var signature = _key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Credential(CredentialId, new
        {
            clientDataJSON = ToBase64Url(clientData),
            authenticatorData = ToBase64Url(authenticatorData),
            signature = ToBase64Url(signature),
            userHandle = UserHandle is null ? null : ToBase64Url(UserHandle),
        });
    }

    public void Dispose() => _key.Dispose();

    /// <summary>A PublicKeyCredential as JSON (WebAuthn L3 §5.1, toJSON()): binary members in base64url.</summary>
    private static string Credential(byte[] id, object response) => JsonSerializer.Serialize(new
    {
        id = ToBase64Url(id),
        rawId = ToBase64Url(id),
        type = "public-key",
        clientExtensionResults = new { },
        response,
    });

    private byte Flags() => Synced ? (byte)(BackupEligible | BackedUp) : (byte)0;

    private byte[] AuthenticatorData(string rpId, byte flags, byte[] attested)
    {
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, Counter);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), flags, .. counter, .. attested];
    }

    private static byte[] ClientData(string type, string challenge, string origin) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["type"] = type, ["challenge"] = challenge, ["origin"] = origin, ["crossOrigin"] = false });

    public static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string value) =>
        Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/') + new string('=', (4 - value.Length % 4) % 4));
}
