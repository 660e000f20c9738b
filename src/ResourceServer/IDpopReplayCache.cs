namespace AuthService.ResourceServer;

/// <summary>
/// Remembers the DPoP proofs already used (RFC 9449 §11.1), so that each is accepted once. The default keeps
/// them in this process's memory; an API that runs several replicas registers its own implementation over a
/// shared store (e.g. a distributed cache with an atomic "add if absent"), or a proof replayed to another
/// replica is accepted there.
/// </summary>
public interface IDpopReplayCache
{
    /// <summary>
    /// Records <paramref name="proofId"/> until <paramref name="expiresAt"/>. Returns true when it was not recorded
    /// before (the proof is fresh), false when it was (a replay). Must be atomic across concurrent calls.
    /// </summary>
    /// <param name="proofId">A fixed-length hash of the proof's key and <c>jti</c>; never the proof itself.</param>
    ValueTask<bool> TryAddAsync(string proofId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
