using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AuthService.Domain.Common;

namespace AuthService.Domain.SecondFactors;

/// <summary>
/// Backup codes (ASVS 6.5.x lookup secrets): <see cref="Count"/> codes of <see cref="Length"/> characters from a
/// 31-letter alphabet without the look-alikes 0/O, 1/I/L: 24 × log2(31) ≈ 118.9 bits each, shown once (in groups of
/// six) and stored as SHA-256 only. ASVS 6.5.2 allows a plain approved hash, without salt or work factor, for lookup
/// secrets of at least 112 bits of entropy: at that size an offline search of the stored hashes is out of reach, so a
/// slow password hash would only slow down every sign-in (ADR 0032).
/// </summary>
public static class BackupCodes
{
    public const int Count = 10;
    public const int Length = 24;

    public const int GroupLength = 6;
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>A fresh set of codes, from the CSPRNG (uniform: <see cref="RandomNumberGenerator.GetItems{T}(ReadOnlySpan{T}, int)"/>).</summary>
    public static IReadOnlyList<string> NewSet() =>
        Enumerable.Range(0, Count).Select(_ => new string(RandomNumberGenerator.GetItems<char>(Alphabet, Length))).ToList();

    /// <summary>The code as shown: groups of <see cref="GroupLength"/> joined by dashes (typed with or without them).</summary>
    public static string Format(string code) =>
        string.Join('-', Enumerable.Range(0, (code.Length + GroupLength - 1) / GroupLength)
            .Select(i => code.Substring(i * GroupLength, Math.Min(GroupLength, code.Length - i * GroupLength))));

    /// <summary>The stored form: SHA-256 (base64url) of the code as typed, upper-cased, spaces and dashes removed.</summary>
    public static string HashOf(string code) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Normalize(code))));

    /// <summary>Whether <paramref name="code"/>, normalized, could be a backup code (length and alphabet).</summary>
    public static bool IsWellFormed(string? code) =>
        code is { Length: <= 2 * Length } && Normalize(code) is { Length: Length } normalized && normalized.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    private static string Normalize(string code) =>
        new(code.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray());
}
