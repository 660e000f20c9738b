namespace AuthService.Domain.SigningKeys;

/// <summary>
/// Pure rules over a set of keys: which key signs, which are published. No clock, no I/O, so the
/// rules are tested on their own (as ASP.NET Core's DefaultKeyResolver).
/// </summary>
public static class SigningKeyPolicy
{
    /// <summary>
    /// The key that signs for <paramref name="algorithm"/>: the active one. Should two ever be active
    /// (a broken invariant the database also guards), the most recently activated wins, so every
    /// replica makes the same choice.
    /// </summary>
    public static SigningKey? SelectSigningKey(IEnumerable<SigningKey> keys, string algorithm) =>
        keys.Where(k => k.State == SigningKeyState.Active && k.Algorithm == algorithm)
            .OrderByDescending(k => k.ActivatedAt)
            .ThenBy(k => k.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The keys for the JWKS, in a stable order (active first, then pending, then retired).</summary>
    public static IReadOnlyList<SigningKey> Published(IEnumerable<SigningKey> keys) =>
        [.. keys.Where(k => k.IsPublished)
            .OrderBy(k => k.State switch { SigningKeyState.Active => 0, SigningKeyState.Pending => 1, _ => 2 })
            .ThenBy(k => k.Algorithm, StringComparer.Ordinal)
            .ThenBy(k => k.KeyId, StringComparer.Ordinal)];

    /// <summary>
    /// With no active key for an algorithm (first start, or the active key was revoked), a key must
    /// sign at once: there is no token signed by an active key to disrupt.
    /// </summary>
    public static bool NeedsImmediateKey(IEnumerable<SigningKey> keys, string algorithm) =>
        !keys.Any(k => k.Algorithm == algorithm && k.State == SigningKeyState.Active);

    /// <summary>Pending keys for <paramref name="algorithm"/> that may activate now, earliest first.</summary>
    public static SigningKey? DuePendingKey(IEnumerable<SigningKey> keys, string algorithm, DateTimeOffset now) =>
        keys.Where(k => k.State == SigningKeyState.Pending && k.Algorithm == algorithm && k.ActivatesAt <= now)
            .OrderBy(k => k.ActivatesAt)
            .ThenBy(k => k.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();
}
