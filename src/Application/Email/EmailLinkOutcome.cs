using AuthService.Domain.Email;

namespace AuthService.Application.Email;

/// <summary>What following an e-mail link came to; the page turns it into a form, a message, or a 400 page.</summary>
public abstract record EmailLinkOutcome
{
    /// <summary>The link may be used: its form is shown (a GET never consumes it).</summary>
    public sealed record Usable : EmailLinkOutcome;

    /// <summary>Done; the link is used up.</summary>
    public sealed record Done : EmailLinkOutcome;

    /// <summary>Unknown, expired, used, or no longer valid: one clear page, 400, never which of them to a stranger.</summary>
    public sealed record Refused(EmailTokenUse Reason) : EmailLinkOutcome;

    /// <summary>The form's input was refused; the link is not used up and the form is shown again with <paramref name="Message"/>.</summary>
    public sealed record Invalid(string Message) : EmailLinkOutcome;

    public static readonly EmailLinkOutcome Ready = new Usable();

    public static readonly EmailLinkOutcome Completed = new Done();

    /// <summary>A token that matches no stored hash.</summary>
    public static readonly EmailLinkOutcome Unknown = new Refused(EmailTokenUse.NoLongerValid);
}
