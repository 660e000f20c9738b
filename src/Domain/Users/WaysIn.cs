namespace AuthService.Domain.Users;

/// <summary>
/// The ways a person signs in to an account on their own: its password, a passkey, or an upstream identity linked to it
/// (docs/adr/0037 "Administration"). An e-mailed sign-in link is not counted: it is off unless the server enables it,
/// and it only proves the mailbox, which is a way to recover an account rather than a credential of it.
/// </summary>
public sealed record WaysIn(bool Password, bool Passkey, int LinkedIdentities)
{
    public static WaysIn Of(User user, bool passkey, int linkedIdentities)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new WaysIn(user.PasswordHash is not null, passkey, linkedIdentities);
    }

    /// <summary>
    /// Whether one linked identity may be unlinked: something else is left to sign in with (the password, a passkey or
    /// another link), so the person cannot lock themselves out of the account by unlinking.
    /// </summary>
    public bool AllowsUnlinkingOne => LinkedIdentities > 0 && (Password || Passkey || LinkedIdentities > 1);
}
