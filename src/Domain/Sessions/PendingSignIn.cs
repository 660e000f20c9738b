using AuthService.Domain.Common;

namespace AuthService.Domain.Sessions;

/// <summary>
/// A sign-in whose first factor was right (a password, or a sign-in link), waiting for the second factor. No session
/// exists yet: the browser holds a random handle in a cookie, the server only its SHA-256, the user, the first factor's
/// methods and the security stamp at the first step (a password change in between voids it), a short lifetime and a
/// count of wrong codes. Finishing it starts the session
/// under a new handle (ASVS 7.2.4); it is then spent, so the handle cannot finish a second sign-in.
/// </summary>
public sealed class PendingSignIn : AggregateRoot
{
    /// <summary>Wrong codes on one pending sign-in before it is void (each also counts toward the account's lockout).</summary>
    public const int MaxAttempts = 5;

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private PendingSignIn()
    {
        HandleHash = null!;
        SecurityStamp = null!;
    }

    public Guid Id { get; private set; }

    public string HandleHash { get; private set; }

    public Guid UserId { get; private set; }

    public string SecurityStamp { get; private set; }

    /// <summary>
    /// Step-up: the browser's session (signed in with the password alone) that the second factor raises to two factors,
    /// instead of starting a new one; null for a sign-in.
    /// </summary>
    public Guid? SessionId { get; private set; }

    private List<string>? _firstFactorMethods;

    /// <summary>
    /// The RFC 8176 §2 <c>amr</c> values of the first factor (<c>pwd</c> after a password, <c>email</c> after a sign-in link,
    /// a step-up's session's own), which the second factor adds to (<see cref="AuthenticationMethods.WithSecondFactor"/>).
    /// A row written before they were recorded came from the password form: <c>pwd</c>.
    /// </summary>
    public IReadOnlyList<string> FirstFactorMethods => _firstFactorMethods ?? AuthenticationMethods.PasswordOnly;

    /// <summary>The client the sign-in is for (audit only); null for the account page.</summary>
    public string? ClientId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public int FailedAttempts { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public static PendingSignIn Begin(
        Guid id, string handleHash, Guid userId, string securityStamp, string? clientId, IReadOnlyList<string> firstFactorMethods, DateTimeOffset now,
        Guid? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(firstFactorMethods);
        Guard.Against(firstFactorMethods.Count == 0 || firstFactorMethods.Contains(AuthenticationMethods.MultipleFactors, StringComparer.Ordinal),
            "amr", "A pending sign-in follows one first factor.");
        Guard.Against(sessionId == Guid.Empty, "sid", "A step-up names the session it raises.");
        Guard.Against(id == Guid.Empty, "id", "A pending sign-in needs an id.");
        Guard.Against(handleHash is not { Length: OpaqueToken.HashLength }, "handle", "A handle is stored as its SHA-256 (base64url).");
        Guard.Against(userId == Guid.Empty, "user", "A pending sign-in belongs to a user.");
        Guard.Against(string.IsNullOrEmpty(securityStamp), "security_stamp", "A pending sign-in is bound to the user's security stamp.");
        Guard.RequireUtc(now, nameof(now));
        return new PendingSignIn
        {
            Id = id,
            HandleHash = handleHash,
            UserId = userId,
            SecurityStamp = securityStamp,
            ClientId = clientId,
            SessionId = sessionId,
            _firstFactorMethods = [.. firstFactorMethods],
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
    }

    /// <summary>Still usable: not completed, not expired, not out of attempts, and the user's credentials unchanged.</summary>
    public bool IsUsable(DateTimeOffset now, string currentSecurityStamp) =>
        CompletedAt is null && now < ExpiresAt && FailedAttempts < MaxAttempts
        && string.Equals(SecurityStamp, currentSecurityStamp, StringComparison.Ordinal);

    /// <summary>Counts a wrong code; at <see cref="MaxAttempts"/> the pending sign-in is void.</summary>
    public void RecordFailedAttempt(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(CompletedAt is not null, "pending_sign_in", "A completed sign-in takes no more attempts.");
        FailedAttempts++;
    }

    /// <summary>The second factor was accepted: spent, it finishes no other sign-in.</summary>
    public void Complete(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(CompletedAt is not null, "pending_sign_in", "The sign-in was completed already.");
        Guard.Against(now >= ExpiresAt, "pending_sign_in", "The pending sign-in has expired.");
        CompletedAt = now;
    }
}
