namespace AuthService.Domain.Clients;

/// <summary>
/// What may be registered as a redirect URI (or post-logout redirect URI). Requests are later matched
/// against the registered strings by exact ordinal comparison (RFC 9700 §4.1.3), so registration is
/// where the shape is policed.
/// </summary>
public static class RedirectUriRules
{
    public const int MaxLength = 2000;

    // Schemes that execute or read local content in a browser (Keycloak CVE-2026-9086).
    private static readonly string[] ForbiddenSchemes = ["javascript", "data", "vbscript", "file", "blob", "about"];

    // A registered URI that already carries response parameters lets an attacker's value precede the
    // server's in the authorization response (Keycloak CVE-2026-9689, CVE-2026-18209).
    private static readonly string[] ReservedResponseParameters =
        ["code", "state", "iss", "error", "error_description", "error_uri", "id_token", "access_token", "token_type", "expires_in", "session_state"];

    /// <summary>Returns why <paramref name="value"/> may not be registered, or null when it may.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        foreach (var c in value)
        {
            // Only printable ASCII: no whitespace, controls, backslashes or non-ASCII look-alikes
            // (Gitea PR #37706: Unicode case folding in redirect comparison).
            if (c <= 0x20 || c >= 0x7F || c == '\\')
            {
                return "must contain only printable ASCII characters without spaces or backslashes";
            }
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return "must not contain a fragment (OAuth 2.1 §2.3.1)";
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            return "must not contain wildcards; redirect URIs are matched exactly";
        }

        // An absolute URI starts with its scheme (RFC 3986 §3.1); System.Uri would otherwise read
        // "/cb" as a local file path on Unix.
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || value.IndexOfAny(['/', '?'], 0, colon) >= 0 || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "must be an absolute URI";
        }

        var scheme = uri.Scheme;
        if (ForbiddenSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
        {
            return $"must not use the {scheme.ToLowerInvariant()} scheme";
        }

        if (!value.StartsWith(scheme + ":", StringComparison.Ordinal))
        {
            return "must have a lower-case scheme";
        }

        var error = scheme switch
        {
            "https" => ValidateWebUri(uri, value),
            "http" => IsLoopbackHost(uri) ? ValidateWebUri(uri, value) : "must use https; http is allowed only for loopback addresses (RFC 9700 §2.6)",
            _ => ValidatePrivateUseUri(scheme),
        };
        if (error is not null)
        {
            return error;
        }

        // Checked on the string as written: System.Uri has already removed dot segments from its path.
        if (HasDotSegment(value))
        {
            return "must not contain '.' or '..' path segments";
        }

        return HasReservedParameter(uri.Query) ? "must not carry OAuth response parameters in its query" : null;
    }

    /// <summary>
    /// Whether a request's <c>redirect_uri</c> matches a registered one (RFC 9700 §4.1.3): simple ordinal
    /// string comparison, no normalisation. The one exception is RFC 8252 §7.3: for an http redirect URI
    /// registered on a loopback IP literal (<c>127.0.0.1</c> or <c>[::1]</c>), the port may differ; scheme,
    /// host, path and query may not, and a loopback host never stands in for another registration (GHSA-rfq3-w54c-f9q5).
    /// </summary>
    public static bool Matches(string registered, string requested)
    {
        if (string.Equals(registered, requested, StringComparison.Ordinal))
        {
            return true;
        }

        return SplitLoopback(registered) is ({ } registeredHost, { } registeredRest)
            && SplitLoopback(requested) is ({ } requestedHost, { } requestedRest)
            && registeredHost == requestedHost
            && string.Equals(registeredRest, requestedRest, StringComparison.Ordinal);
    }

    /// <summary>For <c>http://127.0.0.1[:port]rest</c> or <c>http://[::1][:port]rest</c>: the host and what follows the port.</summary>
    private static (string? Host, string? Remainder) SplitLoopback(string uri)
    {
        const string Scheme = "http://";
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return (null, null);
        }

        var afterScheme = uri.AsSpan(Scheme.Length);
        string host;
        if (afterScheme.StartsWith("127.0.0.1", StringComparison.Ordinal))
        {
            host = "127.0.0.1";
        }
        else if (afterScheme.StartsWith("[::1]", StringComparison.Ordinal))
        {
            host = "[::1]";
        }
        else
        {
            return (null, null);
        }

        var rest = afterScheme[host.Length..];
        if (rest.StartsWith(":"))
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 1 || digits > 6 || !int.TryParse(rest[1..digits], out var port) || port is < 1 or > 65535)
            {
                return (null, null);
            }

            rest = rest[digits..];
        }

        // "127.0.0.1.evil.com" or "127.0.0.1@evil" end here: after the host and port only a path or query may follow.
        return rest.Length == 0 || rest[0] is '/' or '?' ? (host, rest.ToString()) : (null, null);
    }

    /// <summary>
    /// True for the loopback literals RFC 8252 §7.3 describes (<c>127.0.0.1</c>, <c>[::1]</c>) and for
    /// <c>localhost</c>, written exactly so: System.Uri also accepts spellings such as <c>127.1</c> or
    /// <c>0x7f.1</c>, which would never match a request's redirect_uri string.
    /// </summary>
    public static bool IsLoopbackHost(Uri uri) =>
        uri.IsLoopback && RawHost(uri.OriginalString) is "127.0.0.1" or "[::1]" or "localhost";

    private static string RawHost(string value)
    {
        var start = value.IndexOf("//", StringComparison.Ordinal) + 2;
        var end = AuthorityEnd(value);
        var authority = start >= 2 && end > start ? value[start..end] : string.Empty;
        var portSeparator = authority.LastIndexOf(':');
        return portSeparator > authority.LastIndexOf(']') ? authority[..portSeparator] : authority;
    }

    private static string? ValidateWebUri(Uri uri, string value)
    {
        if (!string.IsNullOrEmpty(uri.UserInfo) || value.IndexOf('@', StringComparison.Ordinal) is var at && at >= 0 && at < AuthorityEnd(value))
        {
            return "must not contain user information";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "must name a host";
        }

        return null;
    }

    private static int AuthorityEnd(string value)
    {
        var start = value.IndexOf("//", StringComparison.Ordinal);
        if (start < 0)
        {
            return 0;
        }

        var end = value.IndexOfAny(['/', '?'], start + 2);
        return end < 0 ? value.Length : end;
    }

    private static string? ValidatePrivateUseUri(string scheme) =>
        // OAuth 2.1 §8.4.1 / RFC 8252 §7.1: private-use schemes are reverse domain names.
        scheme.Contains('.', StringComparison.Ordinal)
            ? null
            : "a private-use URI scheme must be a reverse domain name containing a '.' (e.g. com.example.app)";

    private static bool HasDotSegment(string path)
    {
        foreach (var segment in path.Split('/', '?'))
        {
            // WHATWG URL "double-dot segment" also covers the mixed spellings ".%2e" and "%2e.".
            if (segment is "." or ".." || segment.Equals("%2e", StringComparison.OrdinalIgnoreCase)
                || segment.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase) || segment.Equals(".%2e", StringComparison.OrdinalIgnoreCase)
                || segment.Equals("%2e.", StringComparison.OrdinalIgnoreCase) || segment.StartsWith("..;", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasReservedParameter(string query)
    {
        if (query.Length <= 1)
        {
            return false;
        }

        // ';' is treated as a separator too: some clients' parsers split on it (HTML 4 §B.2.2).
        foreach (var pair in query[1..].Split('&', ';'))
        {
            var name = Uri.UnescapeDataString(pair.Split('=', 2)[0]);
            if (ReservedResponseParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
