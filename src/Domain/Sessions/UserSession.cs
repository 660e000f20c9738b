using AuthService.Domain.Common;

namespace AuthService.Domain.Sessions;

/// <summary>
/// A single sign-on session at this server (ASVS V7): the browser holds a random handle in a cookie, the
/// server holds only its SHA-256 and this record, so logging out, disabling the user or changing the
/// password ends the session everywhere (ASVS 7.4.1, 7.4.2). The session is bound to the user's
/// security stamp at sign-in; a later stamp means the credentials changed and the session is over.
/// It ends at its absolute lifetime, or earlier when idle (ASVS 7.3.1, 7.3.2).
/// </summary>
public sealed class UserSession : AggregateRoot
{
    private UserSession()
    {
        HandleHash = null!;
        SecurityStamp = null!;
    }

    /// <summary>Also the OIDC <c>sid</c>.</summary>
    public Guid Id { get; private set; }

    public string HandleHash { get; private set; }

    public Guid UserId { get; private set; }

    public string SecurityStamp { get; private set; }

    /// <summary>When the user last entered their password (OIDC <c>auth_time</c>).</summary>
    public DateTimeOffset AuthenticatedAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public TimeSpan IdleTimeout { get; private set; }

    /// <summary><see cref="LastSeenAt"/> + <see cref="IdleTimeout"/>, stored so the clean-up can select on it.</summary>
    public DateTimeOffset IdleExpiresAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>The browser's User-Agent at sign-in, sanitised and truncated (<see cref="SessionDevice"/>); null when none was sent.</summary>
    public string? UserAgent { get; private set; }

    /// <summary>The address the sign-in came from (<see cref="SessionDevice"/>); null when unknown.</summary>
    public string? Address { get; private set; }

    private List<string> _clientIds = [];

    private List<string> _authenticationMethods = [];

    /// <summary>How the person authenticated in this session (RFC 8176 <c>amr</c>, <see cref="Sessions.AuthenticationMethods"/>).</summary>
    public IReadOnlyList<string> AuthenticationMethods => _authenticationMethods;

    /// <summary>
    /// What a step-up adds its second factor to: the recorded methods, or <c>pwd</c> for a session from before they were
    /// recorded (only the password form started sessions then).
    /// </summary>
    public IReadOnlyList<string> FirstFactorMethods =>
        _authenticationMethods.Count == 0 ? Sessions.AuthenticationMethods.PasswordOnly : _authenticationMethods;

    /// <summary>The <c>acr</c> the session reached (OIDC Core §2).</summary>
    public string? Acr => Sessions.AuthenticationMethods.AcrOf(_authenticationMethods);

    /// <summary>
    /// The clients this session issued an authorization code to, in order: the relying parties with a session in
    /// this one, which logout notifies (Back-Channel Logout 1.0 §2.7, Front-Channel Logout 1.0 §3).
    /// </summary>
    public IReadOnlyList<string> ClientIds => _clientIds;

    /// <summary>At most this many clients are remembered per session (a browser session signs in to a handful).</summary>
    public const int MaxClients = 100;

    public static UserSession Start(
        Guid id, string handleHash, Guid userId, string securityStamp, SessionLifetimes lifetimes, DateTimeOffset now, SessionDevice? device = null,
        IReadOnlyList<string>? authenticationMethods = null)
    {
        Guard.Against(id == Guid.Empty, "id", "A session needs an id.");
        Guard.Against(handleHash is not { Length: OpaqueToken.HashLength }, "handle", "A session handle is stored as its SHA-256 (base64url).");
        Guard.Against(userId == Guid.Empty, "user", "A session belongs to a user.");
        Guard.Against(string.IsNullOrEmpty(securityStamp), "security_stamp", "A session is bound to the user's security stamp.");
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(lifetimes.Absolute <= TimeSpan.Zero || lifetimes.Idle <= TimeSpan.Zero || lifetimes.Idle > lifetimes.Absolute,
            "lifetime", "Session lifetimes must be positive, the idle timeout at most the absolute lifetime.");
        var session = new UserSession
        {
            Id = id,
            HandleHash = handleHash,
            UserId = userId,
            SecurityStamp = securityStamp,
            AuthenticatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + lifetimes.Idle,
            ExpiresAt = now + lifetimes.Absolute,
            IdleTimeout = lifetimes.Idle,
            UserAgent = device?.UserAgent,
            Address = device?.Address,
            _authenticationMethods = [.. authenticationMethods ?? Sessions.AuthenticationMethods.PasswordOnly],
        };
        session.Raise(new Events.UserSessionStarted(id, userId, now));
        return session;
    }

    /// <summary>Active: not ended, within both lifetimes, and the user's credentials unchanged since sign-in.</summary>
    public bool IsActive(DateTimeOffset now, string currentSecurityStamp) =>
        EndedAt is null && now < ExpiresAt && now < IdleExpiresAt
        && string.Equals(SecurityStamp, currentSecurityStamp, StringComparison.Ordinal);

    /// <summary>
    /// Extends the idle window of a session still within it (an idle-expired session stays over). Writes
    /// are coalesced: nothing changes within a minute of the last touch.
    /// </summary>
    public bool Touch(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (EndedAt is not null || now >= ExpiresAt || now >= IdleExpiresAt || now - LastSeenAt < TimeSpan.FromMinutes(1))
        {
            return false;
        }

        LastSeenAt = now;
        IdleExpiresAt = now + IdleTimeout;
        return true;
    }

    /// <summary>
    /// Step-up: the person proved a second factor in this session, signed in with one factor. The session now records two
    /// factors (RFC 8176 §2: its first factor's values, <paramref name="secondFactor"/> (otp, hwk or swk) and mfa;
    /// <see cref="Sessions.AuthenticationMethods.WithSecondFactor"/>), counts as authenticated now (OIDC <c>auth_time</c>: the latest
    /// authentication) and continues under a new handle (ASVS 7.2.4: a new session token at re-authentication); its id
    /// (the <c>sid</c>) and its clients stay. False when the session is over or has two factors already.
    /// </summary>
    public bool AddSecondFactor(string newHandleHash, DateTimeOffset now, string currentSecurityStamp, string secondFactor)
    {
        Guard.Against(string.IsNullOrEmpty(secondFactor), "amr", "A step-up names the second factor (an RFC 8176 method).");
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(newHandleHash is not { Length: OpaqueToken.HashLength } || newHandleHash == HandleHash, "handle",
            "A step-up gives the session a new handle, stored as its SHA-256 (base64url).");
        if (!IsActive(now, currentSecurityStamp) || _authenticationMethods.Contains(Sessions.AuthenticationMethods.MultipleFactors, StringComparer.Ordinal))
        {
            return false;
        }

        HandleHash = newHandleHash;
        _authenticationMethods = [.. Sessions.AuthenticationMethods.WithSecondFactor(FirstFactorMethods, secondFactor)];
        AuthenticatedAt = now;
        LastSeenAt = now;
        IdleExpiresAt = now + IdleTimeout;
        Raise(new Events.UserSessionSteppedUp(Id, UserId, now));
        return true;
    }

    /// <summary>Remembers that <paramref name="clientId"/> got a code in this session; false when known already, ended, or full.</summary>
    public bool AddClient(string clientId)
    {
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "A client id is required.");
        if (EndedAt is not null || _clientIds.Contains(clientId, StringComparer.Ordinal) || _clientIds.Count >= MaxClients)
        {
            return false;
        }

        _clientIds.Add(clientId);
        return true;
    }

    /// <summary>Ends the session (logout, or replaced by a new sign-in); false when it had already ended.</summary>
    public bool End(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (EndedAt is not null)
        {
            return false;
        }

        EndedAt = now;
        Raise(new Events.UserSessionEnded(Id, UserId, now));
        return true;
    }
}

public sealed record SessionLifetimes(TimeSpan Absolute, TimeSpan Idle);

/// <summary>
/// The device a session was signed in from, as the admin API shows it. Both values come from the request and are
/// not trusted: the user agent keeps printable ASCII only (anything else becomes <c>?</c>), trimmed and cut to
/// <see cref="MaxUserAgentLength"/>; the address is kept only when it parses as an IP address, in canonical form.
/// </summary>
public sealed record SessionDevice
{
    public const int MaxUserAgentLength = 256;

    /// <summary>The longest canonical IPv6 text form (with an IPv4 tail and a zone id cut off).</summary>
    public const int MaxAddressLength = 45;

    private SessionDevice(string? userAgent, string? address) => (UserAgent, Address) = (userAgent, address);

    public string? UserAgent { get; }

    public string? Address { get; }

    public static SessionDevice Of(string? userAgent, string? address) => new(SanitiseUserAgent(userAgent), CanonicalAddress(address));

    private static string? SanitiseUserAgent(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        var chars = new char[Math.Min(trimmed.Length, MaxUserAgentLength)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = trimmed[i] is >= ' ' and <= '~' ? trimmed[i] : '?';
        }

        return new string(chars).TrimEnd();
    }

    private static string? CanonicalAddress(string? value)
    {
        if (!System.Net.IPAddress.TryParse(value, out var address))
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            address.ScopeId = 0;
        }

        var text = address.ToString();
        return text.Length <= MaxAddressLength ? text : null;
    }
}
