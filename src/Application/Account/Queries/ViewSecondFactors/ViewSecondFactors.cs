using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Domain.SecondFactors;
using MediatR;

namespace AuthService.Application.Account.Queries.ViewSecondFactors;

/// <summary>The signed-in person's second factors, for <c>/account/security</c>; null without an active session.</summary>
public sealed record ViewSecondFactors(string? SessionHandle) : IRequest<SecondFactorsView?>;

/// <summary>
/// What the security page shows: whether an authenticator is confirmed, and how many backup codes are left; while an
/// authenticator is pending, its secret (base32) and its <c>otpauth://</c> URI (Key Uri Format) to scan or type.
/// </summary>
public sealed record SecondFactorsView(string Username, bool TotpActive, PendingTotp? Pending, int BackupCodesLeft);

/// <summary>An authenticator waiting for its first code. Holds the secret: never printed.</summary>
public sealed record PendingTotp(string Base32Secret, string OtpAuthUri)
{
    public override string ToString() => "PendingTotp { (secret redacted) }";
}

public sealed class ViewSecondFactorsHandler(BrowserSessions sessions, ISecondFactorEnrolmentRepository enrolments, ITotpSecrets secrets, IIssuerProvider issuer)
    : IRequestHandler<ViewSecondFactors, SecondFactorsView?>
{
    public async Task<SecondFactorsView?> Handle(ViewSecondFactors request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return null;
        }

        var enrolment = await enrolments.FindByUserIdAsync(active.User.Id, cancellationToken);
        var pending = enrolment is not null && secrets.PendingSecretOf(enrolment) is { } secret
            ? new PendingTotp(secret, OtpAuthUri(issuer.Issuer, active.User.Username, secret))
            : null;
        return new SecondFactorsView(active.User.Username, enrolment?.IsActive == true, pending, enrolment?.IsActive == true ? enrolment.BackupCodeHashes.Count : 0);
    }

    /// <summary>
    /// Google Authenticator's Key Uri Format: <c>otpauth://totp/ISSUER:ACCOUNT?secret=…&amp;issuer=ISSUER</c>, the issuer being
    /// this server's host (what the person recognises in the app), with the RFC 6238 parameters spelled out.
    /// </summary>
    public static string OtpAuthUri(string issuerUrl, string username, string base32Secret)
    {
        var issuerName = Uri.TryCreate(issuerUrl, UriKind.Absolute, out var uri) ? uri.Authority : issuerUrl;
        return "otpauth://totp/" + Uri.EscapeDataString(issuerName) + ":" + Uri.EscapeDataString(username)
            + "?secret=" + base32Secret.TrimEnd('=')
            + "&issuer=" + Uri.EscapeDataString(issuerName)
            + "&algorithm=" + Totp.Algorithm + "&digits=" + Totp.Digits + "&period=" + Totp.StepSeconds;
    }
}
