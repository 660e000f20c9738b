using System.Security.Cryptography;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SecondFactors;
using OtpNet;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// TOTP secrets under the key-encryption key (AES-GCM, as <see cref="SigningKeyMaterialFactory"/> protects private
/// keys): the user's id is the associated data, so a stored secret decrypts only on its own account. Codes come from
/// Otp.NET (RFC 6238: HMAC-SHA-1, 6 digits, 30 s). A secret that cannot be decrypted (another KEK) gives no codes,
/// so the sign-in fails closed and an administrator resets the second factors.
/// </summary>
internal sealed class TotpSecrets(KeyEncryptionKey kek) : ITotpSecrets
{
    private const string Purpose = "TOTP-" + Domain.SecondFactors.Totp.Algorithm;

    public NewTotpSecret Generate(Guid userId)
    {
        var secret = RandomNumberGenerator.GetBytes(Domain.SecondFactors.Totp.SecretBytes);
        try
        {
            return new NewTotpSecret(kek.Protect(secret, KeyIdOf(userId), Purpose), kek.Id, Base32Encoding.ToString(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public ITotpCodes? CodesOf(SecondFactorEnrolment enrolment) => Decrypt(enrolment) is { } secret ? new Codes(secret) : null;

    public string? PendingSecretOf(SecondFactorEnrolment enrolment)
    {
        if (!enrolment.HasPendingTotp || Decrypt(enrolment) is not { } secret)
        {
            return null;
        }

        try
        {
            return Base32Encoding.ToString(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private byte[]? Decrypt(SecondFactorEnrolment enrolment)
    {
        if (enrolment.ProtectedTotpSecret is not { } protectedSecret || enrolment.KeyEncryptionKeyId != kek.Id)
        {
            return null;
        }

        try
        {
            return kek.Unprotect(protectedSecret, KeyIdOf(enrolment.UserId), Purpose);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string KeyIdOf(Guid userId) => "totp:" + userId.ToString("D");

    private sealed class Codes(byte[] secret) : ITotpCodes
    {
        private readonly OtpNet.Totp _totp = new(secret, Domain.SecondFactors.Totp.StepSeconds, OtpHashMode.Sha1, Domain.SecondFactors.Totp.Digits);

        public string CodeAt(long timeStep) =>
            _totp.ComputeTotp(DateTime.UnixEpoch.AddSeconds(timeStep * (double)Domain.SecondFactors.Totp.StepSeconds));
    }
}
