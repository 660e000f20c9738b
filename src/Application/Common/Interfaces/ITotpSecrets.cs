using AuthService.Domain.SecondFactors;

namespace AuthService.Application.Common.Interfaces;

/// <summary>A new TOTP secret: encrypted for storage, and in base32 (RFC 4648 §6) for the person's authenticator, shown during enrolment only.</summary>
public sealed record NewTotpSecret(byte[] ProtectedSecret, string KeyEncryptionKeyId, string Base32Secret)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"NewTotpSecret {{ KeyEncryptionKeyId = {KeyEncryptionKeyId} }}";
}

/// <summary>
/// TOTP secrets at rest: generated from the CSPRNG (160 bits, RFC 4226 §4 R6), encrypted under the key-encryption key
/// as signing keys are, bound to their user so a ciphertext cannot be moved to another account.
/// </summary>
public interface ITotpSecrets
{
    NewTotpSecret Generate(Guid userId);

    /// <summary>The codes of the enrolment's authenticator (decrypts the secret; null when it has none or it cannot be decrypted).</summary>
    ITotpCodes? CodesOf(SecondFactorEnrolment enrolment);

    /// <summary>The base32 secret of a pending enrolment, to show it again until it is confirmed; null otherwise.</summary>
    string? PendingSecretOf(SecondFactorEnrolment enrolment);
}
