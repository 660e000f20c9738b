namespace AuthService.Domain.Users;

/// <summary>
/// The ways a person signs in to an account on their own: its password, a passkey, or an upstream identity linked to it
/// (docs/adr/0037 "Administration"). One rule for every removal the person makes: something must be left. An e-mailed
/// sign-in link is not counted: it is off unless the server enables it, and it only proves the mailbox, which is a way
/// to recover an account rather than a credential of it.
/// </summary>
public sealed record WaysIn(bool Password, int Passkeys, int LinkedIdentities)
{
    public static WaysIn Of(User user, int passkeys, int linkedIdentities)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new WaysIn(user.PasswordHash is not null, passkeys, linkedIdentities);
    }

    /// <summary>Whether one linked identity may be unlinked: the password, a passkey or another link is left.</summary>
    public bool AllowsUnlinkingOne => LinkedIdentities > 0 && AnyLeft(Passkeys, LinkedIdentities - 1);

    /// <summary>Whether one passkey may be removed: the password, another passkey or a link is left.</summary>
    public bool AllowsRemovingOnePasskey => Passkeys > 0 && AnyLeft(Passkeys - 1, LinkedIdentities);

    private bool AnyLeft(int passkeys, int links) => Password || passkeys > 0 || links > 0;
}
