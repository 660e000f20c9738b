namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Single use of one-time identifiers across every replica (one shared database): the <c>jti</c> of
/// client assertions (RFC 7523 §3 item 7) and of DPoP proofs (RFC 9449 §11.1). An identifier is
/// remembered until <c>expiresAt</c>, after which the token carrying it is refused for its expiry anyway.
/// </summary>
public interface IReplayCache
{
    /// <summary>
    /// Records <paramref name="id"/> within <paramref name="scope"/> (e.g. <c>client_assertion:{client_id}</c>);
    /// true when it is new, false when it was seen before (a replay). Atomic: of two concurrent calls with
    /// the same identifier, on any replicas, exactly one answers true.
    /// </summary>
    Task<bool> TryUseAsync(string scope, string id, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes at most <paramref name="batchSize"/> entries expired at <paramref name="now"/>; answers how many went.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);
}
