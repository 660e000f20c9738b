using AuthService.Domain.Common;
using AuthService.Domain.Users;

namespace AuthService.Domain.Email;

/// <summary>What an e-mail token lets its holder do; a token of one purpose is never accepted for another.</summary>
public enum EmailTokenPurpose
{
    EmailVerification = 1,
    PasswordReset = 2,

    /// <summary>An administrator's invitation: choosing the first password, which also verifies the address (docs/adr/0036).</summary>
    Invitation = 3,

    /// <summary>A sign-in link: it stands in for the password, once and for a few minutes (docs/adr/0033, "Magic links").</summary>
    MagicLink = 4,
}

/// <summary>
/// A single-use token sent by e-mail (a verification or password-reset link). Only its SHA-256 hash is stored
/// (<see cref="OpaqueToken"/>, 256 bits of entropy: ASVS 6.4.1), and it is bound to its purpose, its user, the address
/// it was sent to and the user's security stamp at issue: a changed password or address makes every earlier link
/// useless. It is consumed once, under the aggregate's concurrency token, so of two racing uses exactly one wins; the
/// consumed marker is kept (not deleted) so a replay is told apart from an unknown token.
/// </summary>
public sealed class EmailToken : AggregateRoot
{
    public const int MaxStampLength = 64;

    private EmailToken()
    {
        TokenHash = null!;
        NormalizedEmail = null!;
        SecurityStamp = null!;
    }

    public string TokenHash { get; private set; }

    public EmailTokenPurpose Purpose { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The address the link was sent to, in <see cref="User.Normalize"/>d form.</summary>
    public string NormalizedEmail { get; private set; }

    /// <summary>The user's security stamp when the link was sent.</summary>
    public string SecurityStamp { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? ConsumedAt { get; private set; }

    /// <summary>A sign-in link's continuation kind (see <see cref="Continuation"/>); null for every other link.</summary>
    public SignInContinuationKind? ContinuationKind { get; private set; }

    public string? ContinuationRequest { get; private set; }

    public string? ContinuationDeviceCodeHash { get; private set; }

    /// <summary>
    /// What a sign-in link asked for on the authorization or device page continues once used (docs/adr/0033 "Magic links"),
    /// kept here on the server so that the link carries nothing but the token; null for the account page's and every other link.
    /// </summary>
    public SignInContinuation? Continuation => SignInContinuation.From(ContinuationKind, ContinuationRequest, ContinuationDeviceCodeHash);

    /// <summary>Set when the link was withdrawn before use (an invitation re-sent or withdrawn): it is refused as no longer valid.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>A token for <paramref name="user"/>'s current address and stamp; the caller sends the value whose hash is <paramref name="tokenHash"/>.</summary>
    public static EmailToken Issue(string tokenHash, EmailTokenPurpose purpose, User user, TimeSpan lifetime, DateTimeOffset now,
        SignInContinuation? continuation = null)
    {
        Guard.Against(continuation is not null && purpose != EmailTokenPurpose.MagicLink, "continuation", "Only a sign-in link continues a flow.");
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(string.IsNullOrEmpty(tokenHash) || tokenHash.Length != OpaqueToken.HashLength, "token", "A token is stored as its SHA-256 hash.");
        Guard.Against(!Enum.IsDefined(purpose), "purpose", "A token has a known purpose.");
        Guard.Against(user.NormalizedEmail is null, "email", "A token is sent to the user's e-mail address.");
        Guard.Against(lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(7), "lifetime", "A token lives between a moment and 7 days.");
        return new EmailToken
        {
            TokenHash = tokenHash,
            Purpose = purpose,
            UserId = user.Id,
            NormalizedEmail = user.NormalizedEmail!,
            SecurityStamp = user.SecurityStamp,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            ContinuationKind = continuation?.Kind,
            ContinuationRequest = continuation?.Request,
            ContinuationDeviceCodeHash = continuation?.DeviceCodeHash,
        };
    }

    /// <summary>
    /// Whether the token may be used now for <paramref name="purpose"/> by <paramref name="user"/> (null when the user is
    /// gone), without consuming it (a password-reset form is shown before it is posted). Only
    /// <see cref="EmailTokenUse.Usable"/> allows <see cref="Consume"/>.
    /// </summary>
    public EmailTokenUse Check(EmailTokenPurpose purpose, User? user, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (purpose != Purpose)
        {
            return EmailTokenUse.WrongPurpose;
        }

        if (ConsumedAt is not null)
        {
            return EmailTokenUse.AlreadyUsed;
        }

        if (now >= ExpiresAt)
        {
            return EmailTokenUse.Expired;
        }

        // Bound to the user, the address and the credentials at issue: a link to an old address, or one sent before a
        // password change, no longer works (ASVS 6.4.1; the reset ends with a new stamp, so every other link dies with it).
        // A revoked link was replaced by a newer one or withdrawn: the same answer.
        if (RevokedAt is not null || user is null || user.Id != UserId || user.Disabled
            || !string.Equals(user.NormalizedEmail, NormalizedEmail, StringComparison.Ordinal)
            || !string.Equals(user.SecurityStamp, SecurityStamp, StringComparison.Ordinal))
        {
            return EmailTokenUse.NoLongerValid;
        }

        return EmailTokenUse.Usable;
    }

    /// <summary>Uses the token up: <see cref="Check"/> first; anything but <see cref="EmailTokenUse.Usable"/> changes nothing and is returned.</summary>
    public EmailTokenUse Consume(EmailTokenPurpose purpose, User? user, DateTimeOffset now)
    {
        var use = Check(purpose, user, now);
        if (use == EmailTokenUse.Usable)
        {
            ConsumedAt = now;
        }

        return use;
    }

    /// <summary>
    /// Withdraws a link that was neither used nor revoked (an invitation re-sent or withdrawn by an administrator): from
    /// now on <see cref="Check"/> answers <see cref="EmailTokenUse.NoLongerValid"/>. Moves the version like
    /// <see cref="Consume"/>, so a use racing the revocation loses one of the two saves.
    /// </summary>
    public void Revoke(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(ConsumedAt is not null || RevokedAt is not null, "token", "Only a link neither used nor revoked is revoked.");
        RevokedAt = now;
    }
}

/// <summary>What presenting an e-mail token came to: only <see cref="Usable"/> lets it act (and, on consumption, uses it up).</summary>
public enum EmailTokenUse
{
    Usable,
    WrongPurpose,
    AlreadyUsed,
    Expired,
    NoLongerValid,
}
