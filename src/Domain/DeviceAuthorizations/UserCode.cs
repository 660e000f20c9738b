using System.Security.Cryptography;
using AuthService.Domain.Common;

namespace AuthService.Domain.DeviceAuthorizations;

/// <summary>
/// The code a person types on the verification page (RFC 8628 §6.1): eight characters of a base-20 alphabet without
/// vowels (no words can be spelled) or digits (no 0/O or 1/I confusion), the one RFC 8628 §6.1 suggests, about 34.5 bits of entropy, shown as
/// <c>XXXX-XXXX</c>. Input is normalised before comparison: case, dashes and spaces are ignored (§6.1).
/// </summary>
public static class UserCode
{
    public const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";

    public const int Length = 8;

    /// <summary>A fresh code in its stored (normalised) form, drawn uniformly from the alphabet.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The code as shown to the person: <c>WDJB-MJHT</c>.</summary>
    public static string Display(string code)
    {
        Guard.Against(!IsNormalised(code), "user_code", "A user code is displayed from its normalised form.");
        return string.Concat(code.AsSpan(0, Length / 2), "-", code.AsSpan(Length / 2));
    }

    /// <summary>
    /// The normalised code for what a person typed: upper case, without dashes or white space; null when what is
    /// left is not a code of this alphabet and length (then it cannot match any code, and is refused as such).
    /// </summary>
    public static string? Normalise(string? input)
    {
        if (string.IsNullOrEmpty(input) || input.Length > 4 * Length)
        {
            return null;
        }

        var chars = new char[Length];
        var count = 0;
        foreach (var c in input)
        {
            if (c == '-' || char.IsWhiteSpace(c))
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (count == Length || !Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }

            chars[count++] = upper;
        }

        return count == Length ? new string(chars) : null;
    }

    public static bool IsNormalised(string? code) =>
        code is { Length: Length } && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
