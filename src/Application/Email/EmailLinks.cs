using System.Globalization;
using System.Text.Encodings.Web;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Tenants;
using AuthService.Domain.Users;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Email;

/// <summary>
/// Writes the messages that carry a single-use link: a new <see cref="EmailToken"/> (only its hash is stored) and the
/// <see cref="OutgoingEmail"/> holding the link, both added to the unit of work the caller saves, so the action, the token
/// and the message are stored together or not at all (the outbox). The link is absolute on the issuer and carries only
/// the token: never a return URL (no open redirect: RFC 9700 §4.11.2).
/// </summary>
public sealed class EmailLinks(
    IEmailTokenRepository tokens,
    IOutgoingEmailRepository outbox,
    IIssuerProvider issuer,
    IOptions<EmailOptions> options)
{
    public const string VerifyEmailPath = "/account/verify-email";
    public const string ResetPasswordPath = "/account/reset-password";
    public const string ForgotPasswordPath = "/account/forgot-password";
    public const string AcceptInvitationPath = "/account/accept-invitation";

    /// <summary>An invitation's link lives 7 days, the longest any e-mail token may (docs/adr/0036).</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public const string VerificationPurpose = "email_verification";
    public const string PasswordResetPurpose = "password_reset";
    public const string InvitationPurpose = "invitation";
    public const string MagicLinkPath = "/account/signin/email";
    public const string TenantInvitationPath = "/account/tenant-invitation";
    public const string TenantInvitationPurpose = "tenant_invitation";
    public const string RequestMagicLinkPath = "/account/signin/email-link";
    public const string MagicLinkPurpose = "magic_link";

    /// <summary>The authorization flow's sign-in link form (its sign-in page links to it, carrying the request).</summary>
    public const string RequestAuthorizationMagicLinkPath = Common.Protocol.ProtocolEndpoints.SignIn + "/email-link";

    /// <summary>The device verification page's sign-in link form (carrying the user code).</summary>
    public const string RequestDeviceMagicLinkPath = Common.Protocol.ProtocolEndpoints.Device + "/login/email-link";

    /// <summary>The answer to a reset request for an address without an account (see <see cref="RecordNoAccount"/>).</summary>
    public const string NoAccountPurpose = "password_reset_no_account";

    /// <summary>The notice to an account's owner that someone tried to register with its address (see <see cref="SendRegistrationAttempt"/>).</summary>
    public const string RegistrationAttemptPurpose = "registration_attempt";

    /// <summary>The answer to a sign-in link request for an address without an account.</summary>
    public const string MagicLinkNoAccountPurpose = "magic_link_no_account";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>A link that marks <paramref name="user"/>'s current address as verified.</summary>
    public void SendVerification(User user, DateTimeOffset now)
    {
        var link = Issue(user, EmailTokenPurpose.EmailVerification, options.Value.VerificationLifetime, VerifyEmailPath, now);
        Enqueue(user.Email!, "Confirm your e-mail address", VerificationPurpose, user.Id, now,
            $"Confirm that {user.Email} is your address for the account {user.Username}.",
            link, "Confirm my address", Hours(options.Value.VerificationLifetime));
    }

    /// <summary>A link that lets <paramref name="user"/> choose a new password.</summary>
    public void SendPasswordReset(User user, DateTimeOffset now)
    {
        var link = Issue(user, EmailTokenPurpose.PasswordReset, options.Value.PasswordResetLifetime, ResetPasswordPath, now);
        Enqueue(user.Email!, "Reset your password", PasswordResetPurpose, user.Id, now,
            $"Someone (we hope you) asked to reset the password of the account {user.Username}. If it was not you, ignore this message: your password stays as it is.",
            link, "Choose a new password", Hours(options.Value.PasswordResetLifetime));
    }

    /// <summary>A link that lets the invited <paramref name="user"/> choose their first password.</summary>
    public void SendInvitation(User user, DateTimeOffset now)
    {
        var link = Issue(user, EmailTokenPurpose.Invitation, InvitationLifetime, AcceptInvitationPath, now);
        Enqueue(user.Email!, "You are invited", InvitationPurpose, user.Id, now,
            $"An administrator created the account {user.Username} for you. Choose its password to start using it.",
            link, "Choose my password", "7 days");
    }

    /// <summary>
    /// A link that signs <paramref name="user"/> in (and, as it proves control of the address, verifies it), then goes on
    /// with <paramref name="continuation"/> (an authorization request, a device's page) when it was asked for there. Only the
    /// token is in the link, never a return URL (RFC 9700 §4.11.2): the continuation is stored with the token.
    /// </summary>
    public void SendMagicLink(User user, DateTimeOffset now, SignInContinuation? continuation = null)
    {
        var link = Issue(user, EmailTokenPurpose.MagicLink, options.Value.MagicLinkLifetime, MagicLinkPath, now, continuation);
        var then = continuation?.Kind switch
        {
            SignInContinuationKind.Authorization => " and continue to the application you were signing in to",
            SignInContinuationKind.Device => " and connect a device",
            _ => "",
        };
        Enqueue(user.Email!, "Your sign-in link", MagicLinkPurpose, user.Id, now,
            $"Someone (we hope you) asked for a link to sign in to the account {user.Username}{then}. If it was not you, ignore this message: nobody can sign in without the link.",
            link, "Sign in", Hours(options.Value.MagicLinkLifetime));
    }

    /// <summary>
    /// A link was asked for an address that has no account (written by the e-mail request worker, long after the person was
    /// answered alike for every address: <see cref="EmailLinkRequests"/>, ASVS 6.3.8). The message says so and links to the
    /// page it was asked on (the person may have used another address): the forgot-password page, or the sign-in link page
    /// when <paramref name="signIn"/>.
    /// </summary>
    public void RecordNoAccount(string address, DateTimeOffset now, bool signIn = false)
    {
        Enqueue(address, signIn ? "Your sign-in link" : "Reset your password", signIn ? MagicLinkNoAccountPurpose : NoAccountPurpose, userId: null, now,
            $"Someone (we hope you) asked {(signIn ? "for a link to sign in with" : "to reset a password for")} this address, but no account here uses it. "
            + "If it was not you, ignore this message. If you have an account under another address, ask again with that one.",
            issuer.Url(signIn ? RequestMagicLinkPath : ForgotPasswordPath), "Ask again", validity: null);
    }

    /// <summary>
    /// Someone tried to register a new account with <paramref name="owner"/>'s address: no account is created, and instead of
    /// a verification link its owner is told, with the way back in should they have forgotten they have one (ASVS 6.3.8: the
    /// registration page answers the same either way).
    /// </summary>
    public void SendRegistrationAttempt(User owner, DateTimeOffset now) =>
        Enqueue(owner.Email!, "Someone tried to register with your address", RegistrationAttemptPurpose, owner.Id, now,
            $"Someone (perhaps you) tried to create a new account with this address, but it already belongs to the account {owner.Username}, "
            + "so no new account was created. If it was not you, ignore this message. If you have forgotten your password, choose a new one.",
            issuer.Url(ForgotPasswordPath), "Reset my password", validity: null);

    /// <summary>
    /// An invitation to join <paramref name="tenant"/> (docs/adr/0038), to an address that may have no account yet, so its
    /// token belongs to the <see cref="TenantInvitation"/> (whose hash it stores) rather than to an <see cref="EmailToken"/>.
    /// Returns the link, for the administrator when this server sends no mail.
    /// </summary>
    public string SendTenantInvitation(TenantInvitation invitation, Tenant tenant, string token, DateTimeOffset now)
    {
        var link = issuer.Url(TenantInvitationPath) + "?token=" + Uri.EscapeDataString(token);
        Enqueue(invitation.Email, $"You are invited to join {Subject(tenant.DisplayName)}", TenantInvitationPurpose, userId: null, now,
            $"You are invited to join {tenant.DisplayName} as {string.Join(", ", invitation.Roles)}. Open the link, sign in with the account of this address "
            + "(or create one with it), and accept. If you did not expect this invitation, ignore this message.",
            link, "See the invitation", Days(options.Value.TenantInvitationLifetime));
        return link;
    }

    /// <summary>
    /// Revokes <paramref name="user"/>'s links of <paramref name="purpose"/> that could still be used (an invitation re-sent or
    /// withdrawn): the changes join the caller's unit of work; returns how many. A use racing the save conflicts on the
    /// token's version, so either the use or the revocation wins, never both.
    /// </summary>
    public async Task<int> RevokeOpenAsync(User user, EmailTokenPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await tokens.ListOpenAsync(user.Id, purpose, now, cancellationToken);
        foreach (var token in open)
        {
            token.Revoke(now);
        }

        return open.Count;
    }

    private string Issue(User user, EmailTokenPurpose purpose, TimeSpan lifetime, string path, DateTimeOffset now, SignInContinuation? continuation = null)
    {
        var token = OpaqueToken.New();
        tokens.Add(EmailToken.Issue(OpaqueToken.HashOf(token), purpose, user, lifetime, now, continuation));
        return issuer.Url(path) + "?token=" + Uri.EscapeDataString(token);
    }

    private void Enqueue(string to, string subject, string purpose, Guid? userId, DateTimeOffset now, string text, string link, string action, string? validity)
    {
        var expiry = validity is null ? "" : $"The link works once, for {validity}.";
        var textBody = $"{text}\r\n\r\n{action}: {link}\r\n\r\n{expiry}\r\n";
        var htmlBody = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.Encode(subject) + "</title></head><body>"
            + "<p>" + Html.Encode(text) + "</p><p><a href=\"" + Html.Encode(link) + "\">" + Html.Encode(action) + "</a></p>"
            + (expiry.Length == 0 ? "" : "<p>" + Html.Encode(expiry) + "</p>") + "</body></html>";
        outbox.Add(OutgoingEmail.Create(Guid.NewGuid(), to, subject, textBody, htmlBody, purpose, userId, now));
    }

    // A subject is one line of bounded length: a display name may take only part of it.
    private static string Subject(string displayName) => displayName.Length > 120 ? displayName[..120] + "…" : displayName;

    private static string Days(TimeSpan lifetime) =>
        lifetime >= TimeSpan.FromDays(1) ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalDays:0.#} days") : Hours(lifetime);

    private static string Hours(TimeSpan lifetime) =>
        lifetime >= TimeSpan.FromHours(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalHours:0.#} hours")
            : string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalMinutes:0} minutes");
}
