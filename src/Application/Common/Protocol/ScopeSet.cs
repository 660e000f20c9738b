using AuthService.Domain.Clients;

namespace AuthService.Application.Common.Protocol;

/// <summary>Parses the <c>scope</c> parameter (RFC 6749 §3.3) within bounds that keep it cheap (CVE-2026-4634 class).</summary>
public static class ScopeSet
{
    public const int MaxParameterLength = 4096;

    /// <summary>Distinct scope tokens in request order; an error when the syntax or the size is wrong.</summary>
    public static ProtocolResult<IReadOnlyList<string>> Parse(string? scope)
    {
        if (string.IsNullOrEmpty(scope))
        {
            return ProtocolResult<IReadOnlyList<string>>.Success([]);
        }

        if (scope.Length > MaxParameterLength)
        {
            return OAuthError.ScopeTooLong;
        }

        var tokens = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            // A value that is present but holds no scope-token is malformed, not "absent" (RFC 6749 §3.3).
            return OAuthError.MalformedScope;
        }

        if (tokens.Length > ScopeRules.MaxScopes)
        {
            return OAuthError.TooManyScopes;
        }

        foreach (var token in tokens)
        {
            if (!ScopeRules.IsValidScopeToken(token))
            {
                return OAuthError.MalformedScope;
            }
        }

        return ProtocolResult<IReadOnlyList<string>>.Success([.. tokens.Distinct(StringComparer.Ordinal)]);
    }

    public static string Format(IEnumerable<string> scopes) => string.Join(' ', scopes);
}
