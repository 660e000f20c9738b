using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace AuthService.ResourceServer.Jose;

/// <summary>
/// A JWS in compact serialization (RFC 7515 §7.1), read strictly: exactly three base64url parts, a header and
/// a payload that are each one JSON object without duplicate members (parsers disagree on which duplicate wins,
/// so a duplicate <c>alg</c> or <c>exp</c> would mean different things to different readers; RFC 8725 §3.6),
/// and none of the header parameters that would let the token choose its own key or processing.
/// </summary>
internal sealed class CompactJws : IDisposable
{
    /// <summary>
    /// Headers refused in every JWS read here: <c>jku</c>, <c>x5u</c> and <c>x5c</c> would let a token name its
    /// own verification key (RFC 8725 §3.10); <c>crit</c> names extensions we do not understand, which RFC 7515
    /// §4.1.11 says MUST be refused (CVE-2025-59420); <c>b64</c> changes how the payload is read (RFC 7797);
    /// <c>zip</c> and <c>enc</c> belong to JWE (decompression bombs, CVE-2024-21319). <c>jwk</c> is refused
    /// too, except in a DPoP proof, whose reader asks for it explicitly (RFC 9449 §4.2).
    /// </summary>
    private static readonly string[] RefusedHeaders = ["jku", "x5u", "x5c", "crit", "zip", "enc", "b64"];

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private readonly JsonDocument _header;
    private readonly JsonDocument _payload;

    private CompactJws(JsonDocument header, JsonDocument payload, byte[] signingInput, byte[] signature)
    {
        _header = header;
        _payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    public JsonElement Header => _header.RootElement;

    public JsonElement Payload => _payload.RootElement;

    /// <summary>The ASCII bytes of <c>header.payload</c>, what the signature covers (RFC 7515 §5.2).</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string? Algorithm => HeaderString("alg");

    public string? Type => HeaderString("typ");

    public string? KeyId => HeaderString("kid");

    /// <summary>Reads <paramref name="value"/>; null when it is not a compact JWS of at most <paramref name="maxLength"/> characters as described above.</summary>
    public static CompactJws? Read(string value, int maxLength, bool allowJwkHeader = false)
    {
        if (value.Length == 0 || value.Length > maxLength || value.Count(c => c == '.') != 2)
        {
            return null;
        }

        var first = value.IndexOf('.', StringComparison.Ordinal);
        var second = value.IndexOf('.', first + 1);
        var header = ParseObject(value.AsSpan(0, first));
        var payload = header is null ? null : ParseObject(value.AsSpan(first + 1, second - first - 1));
        var signature = payload is null ? null : Decode(value.AsSpan(second + 1));
        if (header is null || payload is null || signature is null || signature.Length == 0)
        {
            header?.Dispose();
            payload?.Dispose();
            return null;
        }

        var jws = new CompactJws(header, payload, Encoding.ASCII.GetBytes(value, 0, second), signature);
        if (RefusedHeaders.Any(name => jws.Header.TryGetProperty(name, out _)) || (!allowJwkHeader && jws.Header.TryGetProperty("jwk", out _)))
        {
            jws.Dispose();
            return null;
        }

        return jws;
    }

    public string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public string? PayloadString(string name) =>
        Payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A NumericDate claim (RFC 7519 §2): a JSON number of seconds since the epoch; null when absent or not a number.</summary>
    public DateTimeOffset? PayloadTime(string name)
    {
        if (!Payload.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
    }

    public void Dispose()
    {
        _header.Dispose();
        _payload.Dispose();
    }

    /// <summary>Base64url without padding (RFC 7515 §2); null for anything else.</summary>
    public static byte[]? Decode(ReadOnlySpan<char> base64Url)
    {
        if (base64Url.IndexOfAnyExcept(Base64UrlAlphabet) >= 0)
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(base64Url);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static JsonDocument? ParseObject(ReadOnlySpan<char> base64Url)
    {
        var bytes = Decode(base64Url);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(bytes, StrictJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
