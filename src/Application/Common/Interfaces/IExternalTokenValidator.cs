namespace AuthService.Application.Common.Interfaces;

/// <summary>A JWT of a trusted external issuer, its signature, issuer, audience and lifetime checked.</summary>
public sealed record ExternalToken(string Issuer, string Subject, DateTimeOffset ExpiresAt, string? JwtId);

/// <summary>
/// Validates JWTs of the external issuers the operator trusts for token exchange (RFC 8693 §3
/// <c>urn:ietf:params:oauth:token-type:jwt</c>, <c>Auth:TokenExchange:TrustedIssuers</c>). Returns null for anything
/// else, whatever the reason.
/// </summary>
public interface IExternalTokenValidator
{
    ValueTask<ExternalToken?> ValidateAsync(string token, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="issuer"/> is a trusted issuer now (an issuer removed from the configuration no longer vouches for its subjects).</summary>
    bool IsTrusted(string issuer);
}

/// <summary>
/// The <c>sub</c> of a token exchanged for an external subject: <c>{issuer}|{subject}</c>. Never a local user's id or a
/// client's, so an external issuer cannot name a local account (it would have to be linked explicitly, which this
/// server does not do), and resource servers see whose subject it is. An issuer identifier is a URL, which holds no
/// unencoded <c>|</c> (RFC 3986 §2), so the first one separates the two.
/// </summary>
public static class ExternalSubject
{
    public const char Separator = '|';

    public static string Format(string issuer, string subject) => issuer + Separator + subject;

    /// <summary>The issuer part of an external subject, or null when <paramref name="subject"/> is not one.</summary>
    public static string? IssuerOf(string subject) =>
        subject.IndexOf(Separator, StringComparison.Ordinal) is var at and > 0 && at < subject.Length - 1 ? subject[..at] : null;
}
