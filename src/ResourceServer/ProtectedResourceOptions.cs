using System.Text.RegularExpressions;

namespace AuthService.ResourceServer;

/// <summary>
/// This API's OAuth 2.0 Protected Resource Metadata (RFC 9728), served by <c>app.MapProtectedResourceMetadata()</c>
/// and named in every challenge's <c>resource_metadata</c> (RFC 9728 §5.1). Off while <see cref="Resource"/> is null.
/// </summary>
public sealed partial class ProtectedResourceOptions
{
    /// <summary>The well-known URI suffix of RFC 9728 §3.</summary>
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    /// <summary>
    /// The resource identifier (RFC 9728 §1.2), e.g. <c>https://api.example.com/orders</c>: an https URL (plain
    /// http on a loopback host, for development) without query or fragment. Usually the tokens' audience, the
    /// <c>resource</c> a client asks for (RFC 8707). Null (the default): no metadata.
    /// </summary>
    public string? Resource { get; set; }

    /// <summary><c>resource_name</c>: a human-readable name of the API, shown to users.</summary>
    public string? ResourceName { get; set; }

    /// <summary><c>scopes_supported</c>: the scopes a client asks for to call this API (RECOMMENDED by RFC 9728 §2).</summary>
    public string[] ScopesSupported { get; set; } = [];

    /// <summary><c>resource_documentation</c>: a URL of the API's documentation for developers.</summary>
    public string? ResourceDocumentation { get; set; }

    /// <summary><c>resource_policy_uri</c>: a URL of how a client may use the API's data.</summary>
    public string? ResourcePolicyUri { get; set; }

    /// <summary><c>resource_tos_uri</c>: a URL of the API's terms of service.</summary>
    public string? ResourceTosUri { get; set; }

    /// <summary>
    /// <c>tls_client_certificate_bound_access_tokens</c> (RFC 9728 §2). The library always enforces
    /// <c>cnf.x5t#S256</c>, but it can see a certificate only when Kestrel asks for one or a proxy forwards it; null
    /// (the default) advertises support exactly when <see cref="ClientCertificateOptions.ForwardedHeader"/> is set.
    /// </summary>
    public bool? TlsClientCertificateBoundAccessTokens { get; set; }

    internal bool IsConfigured => Resource is not null;

    /// <summary>
    /// The metadata URL (RFC 9728 §3.1): the well-known suffix inserted between the host and the path of the
    /// resource identifier, a terminating slash after the host removed first.
    /// </summary>
    internal string MetadataUrl => Origin(Resource!) + LocalMetadataPath;

    /// <summary>The path at which this API serves the document for its identifier (RFC 9728 §3.1).</summary>
    internal string LocalMetadataPath => WellKnownPath + ResourcePath(Resource!);

    internal IEnumerable<string> Problems()
    {
        if (Resource is null)
        {
            yield break;
        }

        if (!Uri.TryCreate(Resource, UriKind.Absolute, out var resource)
            || !Resource.StartsWith(resource.Scheme + "://", StringComparison.Ordinal))
        {
            yield return "ProtectedResource:Resource must be an absolute URL (RFC 9728 §1.2).";
            yield break;
        }

        // RFC 9728 §1.2: https, no fragment, and (SHOULD NOT) no query; loopback http is the library's development rule.
        if (resource.Scheme != "https" && !(resource.Scheme == "http" && resource.IsLoopback))
        {
            yield return "ProtectedResource:Resource must use https (plain http only on a loopback host).";
        }

        if (Resource.Contains('?', StringComparison.Ordinal) || Resource.Contains('#', StringComparison.Ordinal))
        {
            yield return "ProtectedResource:Resource must not have a query or fragment (RFC 9728 §1.2).";
        }
        else if (!PathPattern().IsMatch(ResourcePath(Resource)) || !string.IsNullOrEmpty(resource.UserInfo))
        {
            yield return "ProtectedResource:Resource may have a path of unreserved characters and sub-delimiters only, and no user information.";
        }

        foreach (var (name, value) in new[] { ("ResourceDocumentation", ResourceDocumentation), ("ResourcePolicyUri", ResourcePolicyUri), ("ResourceTosUri", ResourceTosUri) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")))
            {
                yield return $"ProtectedResource:{name} must be an absolute http(s) URL.";
            }
        }

        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), so it can be quoted in a challenge as is.
        foreach (var scope in ScopesSupported.Where(s => !ScopePattern().IsMatch(s)))
        {
            yield return $"ProtectedResource:ScopesSupported: '{scope}' is not a scope token (RFC 6749 §3.3).";
        }
    }

    private static string Origin(string resource) => resource[..AuthorityEnd(resource)];

    /// <summary>The path of the identifier as written; "/" alone (a terminating slash after the host) counts as none.</summary>
    private static string ResourcePath(string resource)
    {
        var path = resource[AuthorityEnd(resource)..];
        return path == "/" ? string.Empty : path;
    }

    private static int AuthorityEnd(string resource)
    {
        var start = resource.IndexOf("://", StringComparison.Ordinal) + 3;
        var slash = resource.IndexOf('/', start);
        return slash < 0 ? resource.Length : slash;
    }

    [GeneratedRegex(@"^(/[A-Za-z0-9\-._~!$&'()*+,;=:@]*)*$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]+$")]
    internal static partial Regex ScopePattern();
}
