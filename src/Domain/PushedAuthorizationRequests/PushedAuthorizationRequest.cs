using AuthService.Domain.Common;

namespace AuthService.Domain.PushedAuthorizationRequests;

/// <summary>
/// An authorization request pushed by an authenticated client (RFC 9126 §2), waiting to be used once at the
/// authorization endpoint. Stored under the SHA-256 of its <c>request_uri</c> handle (never the handle itself),
/// with the parameters the server validated when it was pushed. It is bound to the client that pushed it
/// (RFC 9126 §4: the <c>client_id</c> at the authorization endpoint must match), short-lived (RFC 9126 §2.2),
/// and single use: the version is a concurrency token, so of two replicas consuming it at once only one saves.
/// </summary>
public sealed class PushedAuthorizationRequest : AggregateRoot
{
    /// <summary>RFC 9126 §2.2: the lifetime should be short, long enough for the browser to reach the authorization endpoint.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    private Dictionary<string, string> _parameters = [];

    private PushedAuthorizationRequest()
    {
        RequestUriHash = null!;
        ClientId = null!;
    }

    /// <summary>SHA-256 of the <c>request_uri</c> handle (see <see cref="OpaqueToken.HashOf"/>); the key.</summary>
    public string RequestUriHash { get; private set; }

    public string ClientId { get; private set; }

    /// <summary>The authorization request's parameters as validated when pushed (including <c>client_id</c>).</summary>
    public IReadOnlyDictionary<string, string> Parameters => _parameters;

    public DateTimeOffset PushedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? ConsumedAt { get; private set; }

    public static PushedAuthorizationRequest Push(
        string requestUriHash, string clientId, IReadOnlyDictionary<string, string> parameters, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.Against(requestUriHash is not { Length: OpaqueToken.HashLength }, "request_uri", "A request_uri is stored as its SHA-256 (base64url).");
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "A pushed request belongs to a client.");
        Guard.Against(!parameters.TryGetValue("client_id", out var named) || !string.Equals(named, clientId, StringComparison.Ordinal),
            "client_id", "The pushed parameters name the client that pushed them.");
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(lifetime <= TimeSpan.Zero || lifetime > MaxLifetime, "expires_in", "A pushed request lives at most 10 minutes (RFC 9126 §2.2).");
        return new PushedAuthorizationRequest
        {
            RequestUriHash = requestUriHash,
            ClientId = clientId,
            _parameters = new Dictionary<string, string>(parameters, StringComparer.Ordinal),
            PushedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    /// <summary>
    /// Uses the request at the authorization endpoint, once, for <paramref name="clientId"/>. Another client, a
    /// second use or an expired request is refused and changes nothing; only <see cref="PushedRequestUse.Consumed"/>
    /// marks the request used (RFC 9126 §4).
    /// </summary>
    public PushedRequestUse Consume(string clientId, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!string.Equals(clientId, ClientId, StringComparison.Ordinal))
        {
            return PushedRequestUse.WrongClient;
        }

        if (ConsumedAt is not null)
        {
            return PushedRequestUse.AlreadyUsed;
        }

        if (now >= ExpiresAt)
        {
            return PushedRequestUse.Expired;
        }

        ConsumedAt = now;
        return PushedRequestUse.Consumed;
    }
}

/// <summary>What <see cref="PushedAuthorizationRequest.Consume"/> came to.</summary>
public enum PushedRequestUse
{
    Consumed,
    WrongClient,
    AlreadyUsed,
    Expired,
}
