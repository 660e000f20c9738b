using AuthService.Domain.Common;
using AuthService.Domain.Users;

namespace AuthService.Domain.DeviceAuthorizations;

/// <summary>
/// A device authorization (RFC 8628): the device code (stored only as its SHA-256) that the device polls the token
/// endpoint with, and the short user code the person enters on the verification page. It starts pending; the person
/// allows or denies it once, with a signed-in session; the device redeems an allowed one once. Polling faster than the
/// interval answers <c>slow_down</c> and adds 5 seconds to the interval for this and all later requests (§3.5).
/// Every poll changes the aggregate (the last poll time), so racing polls are serialized by its version: one wins.
/// </summary>
public sealed class DeviceAuthorization : AggregateRoot
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(30);

    /// <summary>RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests".</summary>
    public static readonly TimeSpan SlowDownIncrement = TimeSpan.FromSeconds(5);

    private List<string> _scopes = [];
    private List<string> _resources = [];

    private DeviceAuthorization()
    {
        DeviceCodeHash = null!;
        UserCode = null!;
        ClientId = null!;
    }

    /// <summary>SHA-256 of the device code (see <see cref="OpaqueToken.HashOf"/>); the key.</summary>
    public string DeviceCodeHash { get; private set; }

    /// <summary>The user code in its normalised form (see <see cref="DeviceAuthorizations.UserCode"/>); unique among stored ones.</summary>
    public string UserCode { get; private set; }

    public string ClientId { get; private set; }

    public IReadOnlyList<string> Scopes => _scopes;

    /// <summary>The resources the device authorization request named (RFC 8707 §2.1): the only ones its tokens may be for.</summary>
    public IReadOnlyList<string> Resources => _resources;

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The minimum time between two polls (RFC 8628 §3.2 <c>interval</c>); grows with each <c>slow_down</c>.</summary>
    public TimeSpan Interval { get; private set; }

    public DateTimeOffset? LastPolledAt { get; private set; }

    public DeviceAuthorizationStatus Status { get; private set; }

    /// <summary>The person who allowed or denied it, with the session and credentials of that sign-in.</summary>
    public Guid? UserId { get; private set; }

    public Guid? SessionId { get; private set; }

    public DateTimeOffset? AuthTime { get; private set; }

    public string? SecurityStamp { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public DateTimeOffset? RedeemedAt { get; private set; }

    public static DeviceAuthorization Issue(
        string deviceCodeHash, string userCode, string clientId, IReadOnlyList<string> scopes, IReadOnlyList<string> resources,
        DateTimeOffset now, TimeSpan lifetime, TimeSpan interval)
    {
        Guard.Against(deviceCodeHash is not { Length: OpaqueToken.HashLength }, "device_code", "A device code is stored as its SHA-256 (base64url).");
        Guard.Against(!DeviceAuthorizations.UserCode.IsNormalised(userCode), "user_code", "A user code is stored normalised.");
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "A device authorization is issued to a client.");
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(resources);
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(lifetime <= TimeSpan.Zero || lifetime > MaxLifetime, "lifetime", "A device authorization lives at most 30 minutes.");
        Guard.Against(interval < TimeSpan.FromSeconds(1) || interval.Ticks % TimeSpan.TicksPerSecond != 0, "interval", "The polling interval is a whole number of seconds, at least one.");
        var authorization = new DeviceAuthorization
        {
            DeviceCodeHash = deviceCodeHash,
            UserCode = userCode,
            ClientId = clientId,
            _scopes = [.. scopes],
            _resources = [.. resources],
            IssuedAt = now,
            ExpiresAt = now + lifetime,
            Interval = interval,
            Status = DeviceAuthorizationStatus.Pending,
        };
        authorization.Raise(new Events.DeviceAuthorizationRequested(deviceCodeHash, clientId, now));
        return authorization;
    }

    /// <summary>Whether the verification page may still show it for a decision: pending and not expired.</summary>
    public bool AwaitsDecision(DateTimeOffset now) => Status == DeviceAuthorizationStatus.Pending && now < ExpiresAt;

    /// <summary>The person allows the device, signed in with <paramref name="sessionId"/>. False when it is no longer awaiting a decision.</summary>
    public bool Approve(User user, Guid sessionId, DateTimeOffset authTime, DateTimeOffset now, IReadOnlyList<string>? authenticationMethods = null)
    {
        var decided = Decide(DeviceAuthorizationStatus.Approved, user, sessionId, authTime, now);
        if (decided)
        {
            _authenticationMethods = [.. authenticationMethods ?? []];
        }

        return decided;
    }

    /// <summary>The RFC 8176 <c>amr</c> values of the session that approved; empty when not recorded.</summary>
    public IReadOnlyList<string> AuthenticationMethods => _authenticationMethods;

    private List<string> _authenticationMethods = [];

    /// <summary>The person denies the device; its next poll answers <c>access_denied</c>. False when it is no longer awaiting a decision.</summary>
    public bool Deny(User user, Guid sessionId, DateTimeOffset authTime, DateTimeOffset now) =>
        Decide(DeviceAuthorizationStatus.Denied, user, sessionId, authTime, now);

    private bool Decide(DeviceAuthorizationStatus decision, User user, Guid sessionId, DateTimeOffset authTime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        Guard.RequireUtc(now, nameof(now));
        Guard.RequireUtc(authTime, "auth_time");
        Guard.Against(sessionId == Guid.Empty, "sid", "A decision is made in a session.");
        Guard.Against(authTime > now, "auth_time", "The person cannot have signed in after deciding.");
        if (!AwaitsDecision(now))
        {
            return false;
        }

        Status = decision;
        UserId = user.Id;
        SessionId = sessionId;
        AuthTime = authTime;
        SecurityStamp = user.SecurityStamp;
        DecidedAt = now;
        Raise(decision == DeviceAuthorizationStatus.Approved
            ? new Events.DeviceAuthorizationApproved(DeviceCodeHash, ClientId, user.Id, now)
            : new Events.DeviceAuthorizationDenied(DeviceCodeHash, ClientId, user.Id, now));
        return true;
    }

    /// <summary>
    /// A poll of the token endpoint with the device code (RFC 8628 §3.4, §3.5). Another client's poll changes nothing.
    /// Otherwise the poll is recorded; one sooner than the interval after the previous is <see cref="DevicePoll.SlowDown"/>
    /// and grows the interval. Then: expired, denied, already redeemed, still pending, and for an allowed one the user
    /// must still be allowed tokens with the credentials of the sign-in that allowed it. Only <see cref="DevicePoll.Redeemed"/>
    /// hands out tokens; <paramref name="user"/> is the approving user, null when there is none or it no longer exists.
    /// </summary>
    public DevicePoll Poll(string clientId, User? user, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(user is not null && user.Id != UserId, "user", "An authorization is redeemed against the user who allowed it.");
        if (!string.Equals(clientId, ClientId, StringComparison.Ordinal))
        {
            return DevicePoll.WrongClient;
        }

        if (Status == DeviceAuthorizationStatus.Redeemed)
        {
            return DevicePoll.AlreadyRedeemed;
        }

        if (now >= ExpiresAt)
        {
            return DevicePoll.Expired;
        }

        var previous = LastPolledAt;
        LastPolledAt = now;
        if (previous is { } last && now - last < Interval)
        {
            Interval += SlowDownIncrement;
            return DevicePoll.SlowDown;
        }

        switch (Status)
        {
            case DeviceAuthorizationStatus.Pending:
                return DevicePoll.Pending;
            case DeviceAuthorizationStatus.Denied:
                return DevicePoll.Denied;
        }

        if (user is null || !user.MayReceiveTokens(now))
        {
            return DevicePoll.UserMayNotReceiveTokens;
        }

        // The grant outlives no password change or disabling (RFC 9700 §4.14.2 applied to the device grant).
        if (!user.CredentialsUnchangedSince(SecurityStamp))
        {
            return DevicePoll.CredentialsChanged;
        }

        Status = DeviceAuthorizationStatus.Redeemed;
        RedeemedAt = now;
        Raise(new Events.DeviceAuthorizationRedeemed(DeviceCodeHash, ClientId, user.Id, now));
        return DevicePoll.Redeemed;
    }
}

public enum DeviceAuthorizationStatus
{
    Pending,
    Approved,
    Denied,
    Redeemed,
}

/// <summary>What a poll came to (RFC 8628 §3.5): only <see cref="Redeemed"/> issues tokens.</summary>
public enum DevicePoll
{
    Redeemed,

    /// <summary><c>authorization_pending</c>.</summary>
    Pending,

    /// <summary><c>slow_down</c>; the interval grew by 5 seconds.</summary>
    SlowDown,

    /// <summary><c>access_denied</c>.</summary>
    Denied,

    /// <summary><c>expired_token</c>.</summary>
    Expired,

    /// <summary><c>invalid_grant</c>: the code was issued to another client.</summary>
    WrongClient,

    /// <summary><c>invalid_grant</c>: the code was used.</summary>
    AlreadyRedeemed,

    /// <summary><c>invalid_grant</c>: the user who allowed it is gone, disabled or locked out.</summary>
    UserMayNotReceiveTokens,

    /// <summary><c>invalid_grant</c>: the user's password changed since allowing it.</summary>
    CredentialsChanged,
}
