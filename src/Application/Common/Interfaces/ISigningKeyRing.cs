namespace AuthService.Application.Common.Interfaces;

/// <summary>The published key set, serialized once per change (RFC 7517 §5).</summary>
public sealed record JsonWebKeySetDocument(string Json, string ETag, IReadOnlyList<string> KeyIds);

/// <summary>
/// The keys this replica signs and publishes with, loaded from the store and decrypted in memory.
/// </summary>
public interface ISigningKeyRing
{
    /// <summary>True once a signing key for every configured algorithm is loaded.</summary>
    bool IsReady { get; }

    JsonWebKeySetDocument Jwks { get; }

    /// <summary>Reloads keys from the store; the new set replaces the old atomically.</summary>
    Task ReloadAsync(CancellationToken cancellationToken);
}
