using System.Text;
using AuthService.Domain.Common;
using AuthService.Domain.Users.Events;

namespace AuthService.Domain.Users;

/// <summary>
/// A person who signs in. The password is held only as a hash in a versioned format (the hashing is
/// infrastructure; the aggregate never sees a password). Usernames and e-mail addresses are unique
/// in their normalized form (NFKC, upper-case invariant), so look-alike spellings cannot coexist.
/// The security stamp changes whenever credentials change, which ends sessions bound to the old one.
/// </summary>
public sealed class User : AggregateRoot
{
    public const int MaxUsernameLength = 100;
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 200;

    private User()
    {
        Username = null!;
        NormalizedUsername = null!;
        SecurityStamp = null!;
    }

    public Guid Id { get; private set; }

    public string Username { get; private set; }

    public string NormalizedUsername { get; private set; }

    public string? Email { get; private set; }

    public string? NormalizedEmail { get; private set; }

    public bool EmailVerified { get; private set; }

    public string? Name { get; private set; }

    public string? PasswordHash { get; private set; }

    public string SecurityStamp { get; private set; }

    public bool Disabled { get; private set; }

    public int FailedLoginCount { get; private set; }

    public DateTimeOffset? LockoutEndsAt { get; private set; }

    public DateTimeOffset? LastLoginAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static User Register(Guid id, UserProfile profile, string? passwordHash, string securityStamp, DateTimeOffset now)
    {
        Guard.Against(id == Guid.Empty, "id", "A user needs an id.");
        Guard.RequireUtc(now, nameof(now));
        ValidateUsername(profile.Username);
        ValidateProfile(profile);
        Guard.Against(passwordHash is { Length: 0 }, "password", "A password hash must not be empty.");
        Guard.Against(string.IsNullOrEmpty(securityStamp), "security_stamp", "A security stamp is required.");
        var user = new User
        {
            Id = id,
            Username = profile.Username,
            NormalizedUsername = Normalize(profile.Username),
            PasswordHash = passwordHash,
            SecurityStamp = securityStamp,
            CreatedAt = now,
        };
        user.ApplyProfile(profile, now);
        user.Raise(new UserRegistered(id, now));
        return user;
    }

    /// <summary>Changes e-mail, verification flag and display name; false when nothing differs.</summary>
    public bool UpdateProfile(UserProfile profile, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(!string.Equals(profile.Username, Username, StringComparison.Ordinal), "username", "The username cannot be changed.");
        ValidateProfile(profile);
        if (Email == profile.Email && EmailVerified == profile.EmailVerified && Name == profile.Name)
        {
            return false;
        }

        ApplyProfile(profile, now);
        Raise(new UserProfileUpdated(Id, now));
        return true;
    }

    /// <summary>A new password: new hash and new security stamp (sessions bound to the old stamp end).</summary>
    public void ChangePassword(string passwordHash, string newSecurityStamp, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(string.IsNullOrEmpty(passwordHash), "password", "A password hash is required.");
        Guard.Against(string.IsNullOrEmpty(newSecurityStamp) || newSecurityStamp == SecurityStamp, "security_stamp", "A new security stamp is required.");
        PasswordHash = passwordHash;
        SecurityStamp = newSecurityStamp;
        UpdatedAt = now;
        Raise(new UserPasswordChanged(Id, now));
    }

    /// <summary>The same password re-hashed with current parameters after a successful sign-in.</summary>
    public void UpgradePasswordHash(string passwordHash, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(PasswordHash is null, "password", "A user without a password has nothing to upgrade.");
        Guard.Against(string.IsNullOrEmpty(passwordHash), "password", "A password hash is required.");
        PasswordHash = passwordHash;
        UpdatedAt = now;
    }

    public bool IsLockedOut(DateTimeOffset now) => LockoutEndsAt is { } endsAt && now < endsAt;

    /// <summary>
    /// Whether the user may receive tokens at <paramref name="now"/>: enabled and not locked out. Every token
    /// path honours the lockout, not only the sign-in page (OWASP ASVS V2.2.1).
    /// </summary>
    public bool MayReceiveTokens(DateTimeOffset now) => !Disabled && !IsLockedOut(now);

    /// <summary>
    /// Whether the credentials are unchanged since the sign-in a grant came from: the security stamp recorded
    /// then (null for a grant that recorded none) is still the current one. A password change or disabling
    /// replaces the stamp and so ends every grant made before it (RFC 9700 §4.14.2).
    /// </summary>
    public bool CredentialsUnchangedSince(string? stampAtSignIn) =>
        stampAtSignIn is null || string.Equals(stampAtSignIn, SecurityStamp, StringComparison.Ordinal);

    /// <summary>Counts a failed sign-in; at the policy's threshold the account locks for a while.</summary>
    public void RecordFailedLogin(DateTimeOffset now, LockoutPolicy policy)
    {
        Guard.RequireUtc(now, nameof(now));
        FailedLoginCount++;
        var lockout = policy.LockoutFor(FailedLoginCount);
        if (lockout > TimeSpan.Zero)
        {
            LockoutEndsAt = now + lockout;
            Raise(new UserLockedOut(Id, LockoutEndsAt.Value, now));
        }
    }

    public void RecordSuccessfulLogin(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(Disabled, "disabled", "A disabled user cannot sign in.");
        Guard.Against(IsLockedOut(now), "lockout", "A locked-out user cannot sign in until the lockout ends.");
        FailedLoginCount = 0;
        LockoutEndsAt = null;
        LastLoginAt = now;
    }

    /// <summary>
    /// A way in (a linked identity, a passkey) is being removed in this unit of work. The account itself changes with it, so
    /// its version (the concurrency token) moves in the same save: two removals that each checked <see cref="WaysIn"/> on the
    /// same state (two tabs, or the person and an administrator at the same instant) cannot both be saved; the second
    /// conflicts and is asked to look again, so the account never loses its last way in to a race (docs/adr/0037).
    /// </summary>
    public void RecordWayInRemoved(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        UpdatedAt = now;
    }

    /// <summary>Ends a lockout and forgets the failed sign-ins. False, changing nothing, when there is none of either.</summary>
    public bool Unlock(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (FailedLoginCount == 0 && LockoutEndsAt is null)
        {
            return false;
        }

        FailedLoginCount = 0;
        LockoutEndsAt = null;
        UpdatedAt = now;
        Raise(new UserUnlocked(Id, now));
        return true;
    }

    /// <summary>
    /// Stops the user signing in and, with the new security stamp, ends every grant made before. False, changing
    /// nothing, when the user is already disabled.
    /// </summary>
    public bool Disable(string newSecurityStamp, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(string.IsNullOrEmpty(newSecurityStamp) || newSecurityStamp == SecurityStamp, "security_stamp", "A new security stamp is required.");
        if (Disabled)
        {
            return false;
        }

        Disabled = true;
        SecurityStamp = newSecurityStamp;
        UpdatedAt = now;
        Raise(new UserDisabled(Id, now));
        return true;
    }

    /// <summary>Lets the user sign in again (no earlier grant revives). False, changing nothing, when already enabled.</summary>
    public bool Enable(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!Disabled)
        {
            return false;
        }

        Disabled = false;
        UpdatedAt = now;
        Raise(new UserEnabled(Id, now));
        return true;
    }

    /// <summary>
    /// Marks the user as deleted (the repository then removes it): the last fact about the account,
    /// recorded in the same save as its removal.
    /// </summary>
    public void Delete(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Raise(new UserDeleted(Id, now));
    }

    /// <summary>The form usernames and e-mail addresses are compared in: NFKC, upper-case invariant.</summary>
    public static string Normalize(string value) => value.Normalize(NormalizationForm.FormKC).ToUpperInvariant();

    public static void ValidateUsername(string? username)
    {
        Guard.Against(string.IsNullOrEmpty(username), "username", "username is required.");
        Guard.Against(username!.Length > MaxUsernameLength, "username", $"username must be at most {MaxUsernameLength} characters.");
        Guard.Against(username.Trim().Length != username.Length, "username", "username must not start or end with white space.");
        Guard.Against(username.Any(char.IsControl), "username", "username must not contain control characters.");
        Guard.Against(!IsWellFormedUtf16(username), "username", "username must be valid Unicode text.");
    }

    /// <summary>No unpaired surrogate: such text cannot be normalized or stored faithfully.</summary>
    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The profile rules (e-mail form, verification needs an e-mail, name length), for checking input before slow work.</summary>
    public static void ValidateProfile(UserProfile profile)
    {
        if (profile.Email is { } email)
        {
            ValidateEmail(email);
        }

        Guard.Against(profile.EmailVerified && profile.Email is null, "email_verified", "email_verified needs an email.");
        Guard.Against(profile.Name is { } name && (name.Length > MaxNameLength || name.Any(char.IsControl)), "name",
            $"name must be at most {MaxNameLength} characters without control characters.");
    }

    /// <summary>The address rule of a profile, also for addresses that have no account yet (a tenant invitation's).</summary>
    public static void ValidateEmail(string email)
    {
        Guard.Against(email.Length is 0 or > MaxEmailLength, "email", $"email must be 1 to {MaxEmailLength} characters.");
        var at = email.IndexOf('@', StringComparison.Ordinal);
        Guard.Against(at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1 || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)),
            "email", "email must be a single address of the form local@domain.");
        Guard.Against(!IsWellFormedUtf16(email), "email", "email must be valid Unicode text.");
    }

    private void ApplyProfile(UserProfile profile, DateTimeOffset now)
    {
        Email = profile.Email;
        NormalizedEmail = profile.Email is null ? null : Normalize(profile.Email);
        EmailVerified = profile.EmailVerified;
        Name = profile.Name;
        UpdatedAt = now;
    }
}

/// <summary>The descriptive part of a user (OIDC Core §5.1 claims <c>preferred_username</c>, <c>email</c>, <c>email_verified</c>, <c>name</c>).</summary>
public sealed record UserProfile(string Username, string? Email, bool EmailVerified, string? Name);
