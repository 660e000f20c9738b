namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// The <c>Auth:SigningKeys</c> section: how new signing keys are made (docs/adr/0040). Keys that exist keep the size they
/// were made with and keep signing and verifying until they rotate out.
/// </summary>
public sealed class SigningKeyOptions
{
    public const string SectionName = "Auth:SigningKeys";

    /// <summary>The RSA modulus sizes a new RS256 key may have.</summary>
    public static readonly IReadOnlyList<int> AllowedRsaKeySizes = [2048, 3072, 4096];

    /// <summary>
    /// Modulus of new RS256 keys, in bits. 3072 (the default) gives the 128-bit security ASVS 5.0 11.2.3 asks for; 2048
    /// (112-bit, acceptable through 2030 by NIST SP 800-57 Part 1 Rev. 5, Table 4) signs about three to four times faster,
    /// which every RS256 ID token pays, for deployments that choose speed over that level; 4096 for more.
    /// </summary>
    public int RsaKeySize { get; set; } = 3072;
}
