using AuthService.Domain.Common;

namespace AuthService.Domain.PushedAuthorizationRequests;

/// <summary>
/// An authorization request pushed by an authenticated client (RFC 9126 §2), waiting to be used once at the
/// authorization endpoint. Stored under the SHA-256 of its <c>request_uri</c> handle (never the handle itself),
/// with the parameters the server validated when it was pushed. It is bound to the client that pushed it
/// (RFC 9126 §4: the <c>client_id</c> at the authorization endpoint must match), short-lived (RFC 9126 §2.2),
/// and single use: it is used up when its authorization response is issued, and the version is a concurrency
/// token, so of two replicas using it up at once only one saves. Before that it may be opened again (a reload).
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
    /// Whether the request may be opened at the authorization endpoint now, by <paramref name="clientId"/>: only by the
    /// client that pushed it (RFC 9126 §4), before it expires (§2.2), and while no authorization response has come of it.
    /// Opening changes nothing: the browser may reload the page before the user is done (RFC 9126 §4 allows it).
    /// </summary>
    public PushedRequestUse Open(string clientId, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        return CheckCompletion(clientId, now);
    }

    /// <summary>
    /// Whether the request, opened at <paramref name="openedAt"/>, may still end in an authorization response: the same
    /// client, opened within its lifetime, and not used up yet. The sign-in and consent may take longer than the
    /// <c>request_uri</c> lives; what counts is that it was opened in time.
    /// </summary>
    public PushedRequestUse CheckCompletion(string clientId, DateTimeOffset openedAt)
    {
        if (!string.Equals(clientId, ClientId, StringComparison.Ordinal))
        {
            return PushedRequestUse.WrongClient;
        }

        if (ConsumedAt is not null)
        {
            return PushedRequestUse.AlreadyUsed;
        }

        return openedAt < PushedAt || openedAt >= ExpiresAt ? PushedRequestUse.Expired : PushedRequestUse.Usable;
    }

    /// <summary>
    /// Uses the request up, once, as its authorization response is issued (RFC 9126 §4: one-time use). Refused, and
    /// nothing changed, for another client, a request used already, or one not opened within its lifetime; only
    /// <see cref="PushedRequestUse.Consumed"/> marks it used.
    /// </summary>
    public PushedRequestUse Consume(string clientId, DateTimeOffset openedAt, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(openedAt > now, "opened_at", "A request is opened before it is used up.");
        var use = CheckCompletion(clientId, openedAt);
        if (use != PushedRequestUse.Usable)
        {
            return use;
        }

        ConsumedAt = now;
        return PushedRequestUse.Consumed;
    }
}

/// <summary>What opening or consuming a <see cref="PushedAuthorizationRequest"/> came to.</summary>
public enum PushedRequestUse
{
    /// <summary>May be opened, or completed.</summary>
    Usable,

    /// <summary>Used up just now.</summary>
    Consumed,
    WrongClient,
    AlreadyUsed,
    Expired,
}
