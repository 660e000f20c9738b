using AuthService.Domain.Clients;

namespace AuthService.Application.Registration;

/// <summary>
/// Dynamic client registration (RFC 7591), the <c>Auth:Registration</c> section. The key names are an operator
/// contract (docs/operations.md). Validated at start.
/// </summary>
public sealed class RegistrationOptions
{
    public const string SectionName = "Auth:Registration";

    public const string Closed = "closed";
    public const string Open = "open";
    public const string InitialAccessToken = "initial_access_token";

    /// <summary><c>closed</c> (default: no registration endpoint), <c>open</c>, or <c>initial_access_token</c> (RFC 7591 §3).</summary>
    public string Policy { get; set; } = Closed;

    /// <summary>The grant types a registered client may ask for; <c>authorization_code</c> and <c>refresh_token</c> when empty.</summary>
    public string[]? AllowedGrantTypes { get; set; }

    /// <summary>Space-separated: the scopes a registered client may ask for, and what it gets when it names none.</summary>
    public string AllowedScopes { get; set; } = "openid profile email offline_access";

    /// <summary>Dynamic clients unused for this many days are deleted by the clean-up job; 0 keeps them for ever.</summary>
    public int InactiveClientLifetimeDays { get; set; } = 90;

    /// <summary>Registration requests accepted per source address and minute (429 beyond).</summary>
    public int PermitsPerMinutePerAddress { get; set; } = 10;

    public bool IsEnabled => Policy != Closed;

    public IReadOnlyList<string> GrantTypes =>
        AllowedGrantTypes is { Length: > 0 } configured
            ? [.. configured.SelectMany(g => g.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)]
            : [Domain.Clients.GrantTypes.AuthorizationCode, Domain.Clients.GrantTypes.RefreshToken];

    public IReadOnlyList<string> Scopes => [.. AllowedScopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>Why the section is invalid, or null.</summary>
    public string? Problem() =>
        Policy is not (Closed or Open or InitialAccessToken) ? "Auth:Registration:Policy must be closed, open or initial_access_token."
        : GrantTypes.Any(g => !Domain.Clients.GrantTypes.IsSupported(g)) ? $"Auth:Registration:AllowedGrantTypes must be among: {string.Join(", ", Domain.Clients.GrantTypes.Supported)}."
        : Scopes.Count > ScopeRules.MaxScopes || Scopes.Any(s => !ScopeRules.IsValidScopeToken(s)) ? "Auth:Registration:AllowedScopes must be space-separated scope tokens (RFC 6749 §3.3)."
        : InactiveClientLifetimeDays is < 0 or > 3650 ? "Auth:Registration:InactiveClientLifetimeDays must be between 0 (never purge) and 3650."
        : PermitsPerMinutePerAddress is < 1 or > 10_000 ? "Auth:Registration:PermitsPerMinutePerAddress must be between 1 and 10000."
        : null;
}
