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
    /// Modulus of new RS256 keys, in bits. 2048 (the default) is acceptable through 2030 (NIST SP 800-57 Part 1 Rev. 5,
    /// Table 4: 112-bit security) and signs about three to four times faster than 3072, which every ID token pays;
    /// 3072 (128-bit security) or 4096 for deployments whose policy asks for more.
    /// </summary>
    public int RsaKeySize { get; set; } = 2048;
}
