namespace AuthService.Application.Common.DPoP;

/// <summary>The shape of an RFC 7638 SHA-256 JWK thumbprint as DPoP carries it (<c>jkt</c>, <c>dpop_jkt</c>): base64url, no padding.</summary>
public static class JwkThumbprints
{
    /// <summary>32 bytes in unpadded base64url (RFC 4648 §5).</summary>
    public const int Sha256Length = 43;

    public static bool IsSha256Thumbprint(string? value) =>
        value is { Length: Sha256Length } && value.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')
        // The last character carries 2 bits of padding, which must be zero (RFC 4648 §3.5).
        && "AEIMQUYcgkosw048".Contains(value[^1], StringComparison.Ordinal);
}
