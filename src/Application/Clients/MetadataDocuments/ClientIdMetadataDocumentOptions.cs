namespace AuthService.Application.Clients.MetadataDocuments;

/// <summary>The <c>Auth:ClientIdMetadataDocuments</c> section (docs/adr/0028). Validated at start.</summary>
public sealed class ClientIdMetadataDocumentOptions
{
    public const string SectionName = "Auth:ClientIdMetadataDocuments";

    /// <summary>Resolve https URL client_ids by fetching their document; advertised in discovery when on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Space-separated host names whose documents may be fetched; empty means every public host.</summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>Space-separated host names whose documents are never fetched; wins over <see cref="AllowedHosts"/>.</summary>
    public string DeniedHosts { get; set; } = "";

    /// <summary>The most such a client may be allowed: its document's <c>scope</c> is narrowed to these.</summary>
    public string AllowedScopes { get; set; } = "openid profile email offline_access";

    /// <summary>The least time a fetched document (or a failure) is kept, whatever its cache headers say.</summary>
    public int MinCacheSeconds { get; set; } = 60;

    /// <summary>The most time a fetched document is kept, whatever its cache headers say.</summary>
    public int MaxCacheSeconds { get; set; } = 86_400;

    public IReadOnlySet<string> AllowedHostSet => Hosts(AllowedHosts);

    public IReadOnlySet<string> DeniedHostSet => Hosts(DeniedHosts);

    public IReadOnlyList<string> AllowedScopeList => AllowedScopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool IsValid() =>
        MinCacheSeconds >= 0 && MaxCacheSeconds >= MinCacheSeconds && MaxCacheSeconds <= 7 * 86_400
        && AllowedScopeList.All(Domain.Clients.ScopeRules.IsValidScopeToken);

    /// <summary>True when documents at <paramref name="host"/> may be fetched: not denied, and allowed when an allow list is set.</summary>
    public bool PermitsHost(string host) =>
        !DeniedHostSet.Contains(host) && (AllowedHostSet.Count == 0 || AllowedHostSet.Contains(host));

    private static HashSet<string> Hosts(string value) =>
        new(value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()), StringComparer.Ordinal);
}
