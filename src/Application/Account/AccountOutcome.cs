namespace AuthService.Application.Account;

/// <summary>What a change on the account page came to; the page turns it into a redirect with a status message, or a re-rendered form.</summary>
public abstract record AccountOutcome
{
    /// <summary>No active browser session: the person signs in first.</summary>
    public sealed record NotSignedIn : AccountOutcome;

    /// <summary>Nothing of this person's by that id (another person's session or an unknown one): 404, never told apart.</summary>
    public sealed record NotFound : AccountOutcome;

    /// <summary>The input was refused; <paramref name="Message"/> is shown next to the form, nothing changed.</summary>
    public sealed record Invalid(string Message) : AccountOutcome;

    /// <summary>
    /// Done; <paramref name="Status"/> names what was done (the page shows its message after the redirect, POST-redirect-GET).
    /// A new session handle when the browser's session was replaced.
    /// </summary>
    public sealed record Done(string Status, string? NewSessionHandle = null) : AccountOutcome;

    /// <summary>
    /// The account changed while the request was applied (another tab, or an administrator, removed a way in at the same
    /// instant): nothing was saved; the person looks at the page again and retries (409).
    /// </summary>
    public sealed record ChangedMeanwhile : AccountOutcome;

    public static readonly AccountOutcome SignInFirst = new NotSignedIn();

    public static readonly AccountOutcome Missing = new NotFound();

    public static readonly AccountOutcome Conflict = new ChangedMeanwhile();

    /// <summary>
    /// A change that removes a way in: done when its save went through, <see cref="Conflict"/> when it lost a race with
    /// another change of the account (the user's version, see <c>User.RecordWayInRemoved</c>).
    /// </summary>
    public static AccountOutcome AfterWayInRemoval(Domain.Common.SaveResult save, string status) => save switch
    {
        Domain.Common.SaveResult.Saved => new Done(status),
        Domain.Common.SaveResult.ConcurrencyConflict => Conflict,
        _ => throw new Common.Exceptions.ConflictException(save),
    };
}
