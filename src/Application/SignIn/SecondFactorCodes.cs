using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SecondFactors;

namespace AuthService.Application.SignIn;

/// <summary>
/// Checks a typed second-factor code against a person's enrolment: six digits are a TOTP code of the confirmed
/// authenticator (decrypted for the check only), anything else is tried as a backup code. An accepted code is spent
/// on the enrolment; the caller saves it.
/// </summary>
public sealed class SecondFactorCodes(ITotpSecrets secrets)
{
    /// <summary>Longest code accepted for checking: a backup code typed with its dashes and spaces.</summary>
    public const int MaxLength = 2 * BackupCodes.Length;

    public SecondFactorCheck Check(SecondFactorEnrolment enrolment, string? code, DateTimeOffset now)
    {
        var typed = code?.Trim();
        if (typed is not { Length: > 0 and <= MaxLength })
        {
            return SecondFactorCheck.Rejected;
        }

        if (!Totp.IsWellFormed(typed))
        {
            return enrolment.UseBackupCode(typed, now);
        }

        return secrets.CodesOf(enrolment) is { } codes ? enrolment.UseTotp(typed, codes, now) : SecondFactorCheck.Rejected;
    }
}
