namespace AuthService.Domain.SecondFactors;

/// <summary>
/// The TOTP parameters this server uses (RFC 6238 §4 defaults, what every authenticator app supports): HMAC-SHA-1,
/// 6 digits, 30-second steps from the Unix epoch, a 160-bit secret (RFC 4226 §4 R6 recommends 160), and one step of
/// clock drift either side (RFC 6238 §5.2; ASVS 6.5.5).
/// </summary>
public static class Totp
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    public const int SecretBytes = 20;
    public const int AllowedDriftSteps = 1;
    public const string Algorithm = "SHA1";

    public static long TimeStepAt(DateTimeOffset now) => now.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>Whether <paramref name="code"/> has the shape of a TOTP code: exactly <see cref="Digits"/> ASCII digits.</summary>
    public static bool IsWellFormed(string? code) => code is { Length: Digits } && code.All(char.IsAsciiDigit);
}
