namespace AuthService.Domain.SecondFactors;

/// <summary>The outcome of checking a typed second-factor code. Every refusal looks the same to the browser; the kind is for the audit log.</summary>
public enum SecondFactorCheck
{
    Accepted,

    /// <summary>Wrong, malformed, or nothing to check it against.</summary>
    Rejected,

    /// <summary>A TOTP code of a time step already used (RFC 6238 §5.2), or a backup code already spent.</summary>
    Replayed,
}
