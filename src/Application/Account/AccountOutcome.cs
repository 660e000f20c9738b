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

    public static readonly AccountOutcome SignInFirst = new NotSignedIn();

    public static readonly AccountOutcome Missing = new NotFound();
}
