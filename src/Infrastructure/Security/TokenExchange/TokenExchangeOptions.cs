using AuthService.Application.Common.Interfaces;

namespace AuthService.Infrastructure.Security.TokenExchange;

/// <summary>The <c>Auth:TokenExchange</c> section: the external issuers whose JWTs clients may exchange (RFC 8693 §3).</summary>
public sealed class TokenExchangeOptions
{
    public const string SectionName = "Auth:TokenExchange";

    /// <summary>At most this many trusted issuers.</summary>
    public const int MaxTrustedIssuers = 20;

    /// <summary>
    /// Issuers trusted for <c>urn:ietf:params:oauth:token-type:jwt</c> subject tokens. None by default: a JWT subject
    /// token is then always refused. A client must also name the issuer in its policy (<c>token_exchange.subject_issuers</c>).
    /// </summary>
    public List<TrustedIssuer> TrustedIssuers { get; set; } = [];

    /// <summary>Why the section is unusable, or null when it is fine (checked at start).</summary>
    public string? Problem(string? ownIssuer)
    {
        if (TrustedIssuers.Count > MaxTrustedIssuers)
        {
            return $"at most {MaxTrustedIssuers} TrustedIssuers";
        }

        foreach (var trusted in TrustedIssuers)
        {
            if (trusted.Problem() is { } problem)
            {
                return $"TrustedIssuers entry '{trusted.Issuer}': {problem}";
            }

            if (ownIssuer is not null && string.Equals(trusted.Issuer.TrimEnd('/'), ownIssuer.TrimEnd('/'), StringComparison.Ordinal))
            {
                return "this server's own issuer is not an external issuer";
            }
        }

        return TrustedIssuers.Select(t => t.Issuer).Distinct(StringComparer.Ordinal).Count() == TrustedIssuers.Count
            ? null
            : "each Issuer at most once";
    }
}

/// <summary>One trusted external issuer.</summary>
public sealed class TrustedIssuer
{
    /// <summary>The exact <c>iss</c> of its tokens: an https URL (http only for a loopback host), no query, fragment or <c>|</c>.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Where its JWK Set is, fetched through the hardened fetcher (https; loopback only when outbound loopback is allowed).</summary>
    public string JwksUri { get; set; } = "";

    /// <summary>The <c>aud</c> its tokens must carry to be exchanged here (required: a token meant for another party is not accepted).</summary>
    public string Audience { get; set; } = "";

    /// <summary>The claim naming the subject; <c>sub</c> unless set.</summary>
    public string? SubjectClaim { get; set; }

    internal string? Problem()
    {
        if (!IsUrl(Issuer) || Issuer.Contains(ExternalSubject.Separator, StringComparison.Ordinal))
        {
            return "Issuer must be an absolute https URL (http only for loopback) without query, fragment or '|'";
        }

        if (!IsUrl(JwksUri))
        {
            return "JwksUri must be an absolute https URL (http only for loopback)";
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            return "Audience is required";
        }

        return SubjectClaim is not null && string.IsNullOrWhiteSpace(SubjectClaim) ? "SubjectClaim must not be empty when set" : null;
    }

    private static bool IsUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
