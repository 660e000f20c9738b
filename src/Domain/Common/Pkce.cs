using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AuthService.Domain.Common;

/// <summary>
/// PKCE (RFC 7636) with the only method this server accepts, <c>S256</c>. A challenge is 43 base64url
/// characters (a SHA-256 digest, §4.2); a verifier is 43 to 128 unreserved characters (§4.1).
/// </summary>
public static class Pkce
{
    public const string S256 = "S256";
    public const int ChallengeLength = 43;
    public const int MinVerifierLength = 43;
    public const int MaxVerifierLength = 128;

    /// <summary>43 characters of the base64url alphabet without padding (RFC 7636 §4.2, §4.1 ABNF).</summary>
    public static bool IsValidChallenge(string? challenge) =>
        challenge is { Length: ChallengeLength } && challenge.All(IsBase64UrlChar);

    /// <summary>43 to 128 characters of <c>[A-Za-z0-9-._~]</c> (RFC 7636 §4.1).</summary>
    public static bool IsValidVerifier(string? verifier) =>
        verifier is { Length: >= MinVerifierLength and <= MaxVerifierLength } && verifier.All(IsUnreserved);

    /// <summary>BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).</summary>
    public static string ChallengeOf(string verifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>True when <paramref name="verifier"/> is well formed and hashes to <paramref name="challenge"/> (constant-time compare).</summary>
    public static bool Verifies(string challenge, string? verifier) =>
        IsValidVerifier(verifier)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ChallengeOf(verifier!)), Encoding.ASCII.GetBytes(challenge));

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}

/// <summary>
/// Opaque credentials handed to a browser or a client (codes, refresh tokens, session handles): 256 bits
/// from the CSPRNG, base64url (a VSCHAR subset, RFC 6749 Appendix A). Only their SHA-256 is stored,
/// so a database dump yields no usable credential.
/// </summary>
public static class OpaqueToken
{
    public const int HashLength = 43;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string token) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
