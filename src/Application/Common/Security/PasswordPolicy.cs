namespace AuthService.Application.Common.Security;

/// <summary>
/// What a password must be (ASVS 6.2): at least 8 characters (6.2.1), long ones allowed (6.2.9: 64+;
/// we cap at 256 to bound hashing input), no composition rules (6.2.5), verified exactly as typed
/// (6.2.8: no trimming, no case folding, no truncation).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="password"/> is not acceptable, or null when it is. Never echoes the password.</summary>
    public static string? Validate(string? password) => password switch
    {
        null or "" => "password is required.",
        { Length: < MinLength } => $"password must be at least {MinLength} characters.",
        { Length: > MaxLength } => $"password must be at most {MaxLength} characters.",
        _ => null,
    };
}
