using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Resources.Events;
using AuthService.Domain.SigningKeys;

namespace AuthService.Domain.Resources;

/// <summary>
/// A protected resource (an API) that clients name with a resource indicator (RFC 8707 §2): its identifier is an
/// absolute URI without a fragment, https (or http on a loopback host), matched exactly. It owns a non-empty set of
/// scopes, and may set the lifetime and signing algorithm of access tokens issued for it, the clients that may
/// introspect them, and the only clients that may ask for it.
/// </summary>
public sealed class ProtectedResource : AggregateRoot
{
    public const int MaxResourceLength = 500;
    public const int MaxNameLength = 200;
    public const int MaxClients = 100;

    private List<string> _scopes = [];
    private List<string> _introspectionClients = [];
    private List<string> _allowedClients = [];

    private ProtectedResource()
    {
        Resource = null!;
        Name = null!;
    }

    /// <summary>The resource indicator (RFC 8707 §2), also the <c>aud</c> of access tokens issued for it (RFC 9068 §3).</summary>
    public string Resource { get; private set; }

    public string Name { get; private set; }

    public IReadOnlyList<string> Scopes => _scopes;

    /// <inheritdoc cref="ProtectedResourceSettings.AccessTokenLifetime"/>
    public TimeSpan? AccessTokenLifetime { get; private set; }

    /// <inheritdoc cref="ProtectedResourceSettings.AccessTokenSigningAlg"/>
    public string? AccessTokenSigningAlg { get; private set; }

    /// <inheritdoc cref="ProtectedResourceSettings.IntrospectionClients"/>
    public IReadOnlyList<string> IntrospectionClients => _introspectionClients;

    /// <inheritdoc cref="ProtectedResourceSettings.AllowedClients"/>
    public IReadOnlyList<string> AllowedClients => _allowedClients;

    public bool Enabled { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static ProtectedResource Register(string resource, ProtectedResourceSettings settings, DateTimeOffset now)
    {
        var error = ValidateIdentifier(resource);
        Guard.Against(error is not null, "resource", $"resource {error}.");
        Guard.RequireUtc(now, nameof(now));
        ValidateSettings(settings);
        var registered = new ProtectedResource { Resource = resource, Enabled = true, CreatedAt = now };
        registered.Apply(settings, now);
        registered.Raise(new ProtectedResourceRegistered(resource, now));
        return registered;
    }

    /// <summary>Replaces the settings. False, changing nothing, when they are already as asked.</summary>
    public bool Reconfigure(ProtectedResourceSettings settings, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        ValidateSettings(settings);
        if (HasSettings(settings))
        {
            return false;
        }

        Apply(settings, now);
        Raise(new ProtectedResourceReconfigured(Resource, now));
        return true;
    }

    /// <summary>Stops tokens being issued for the resource. False, changing nothing, when it is already disabled.</summary>
    public bool Disable(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!Enabled)
        {
            return false;
        }

        Enabled = false;
        UpdatedAt = now;
        Raise(new ProtectedResourceDisabled(Resource, now));
        return true;
    }

    /// <summary>Lets tokens be issued for the resource again. False, changing nothing, when it is already enabled.</summary>
    public bool Enable(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (Enabled)
        {
            return false;
        }

        Enabled = true;
        UpdatedAt = now;
        Raise(new ProtectedResourceEnabled(Resource, now));
        return true;
    }

    /// <summary>Records the deletion (the repository removes the resource).</summary>
    public void Delete(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Raise(new ProtectedResourceDeleted(Resource, now));
    }

    /// <summary>
    /// Whether <paramref name="clientId"/> may obtain tokens for this resource: the resource is enabled, lists the
    /// client when it restricts clients at all, and shares at least one scope with <paramref name="clientScopes"/>.
    /// </summary>
    public bool IsAvailableTo(string clientId, IReadOnlySet<string> clientScopes) =>
        Enabled
        && (_allowedClients.Count == 0 || _allowedClients.Contains(clientId, StringComparer.Ordinal))
        && _scopes.Exists(clientScopes.Contains);

    /// <summary>Whether <paramref name="clientId"/> may introspect tokens issued for this resource.</summary>
    public bool MayBeIntrospectedBy(string clientId) => _introspectionClients.Contains(clientId, StringComparer.Ordinal);

    /// <summary>
    /// Returns why <paramref name="value"/> is not a resource indicator this server accepts, or null when it is:
    /// RFC 8707 §2, an absolute URI (RFC 3986 §4.3) without a fragment, printable ASCII, with a host and no user
    /// information, https or, for loopback hosts only, http (as redirect URIs, RFC 9700 §2.6).
    /// </summary>
    public static string? ValidateIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > MaxResourceLength)
        {
            return $"must be at most {MaxResourceLength} characters";
        }

        if (value.Any(c => c <= 0x20 || c >= 0x7F || c == '\\'))
        {
            return "must contain only printable ASCII characters without spaces or backslashes";
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return "must not contain a fragment (RFC 8707 §2)";
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || value.IndexOfAny(['/', '?'], 0, colon) >= 0 || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "must be an absolute URI (RFC 8707 §2)";
        }

        if (!value.StartsWith("https://", StringComparison.Ordinal)
            && !(value.StartsWith("http://", StringComparison.Ordinal) && RedirectUriRules.IsLoopbackHost(uri)))
        {
            return "must use https; http is allowed only for loopback hosts";
        }

        if (string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo) || value.IndexOf('@', StringComparison.Ordinal) >= 0)
        {
            return "must name a host and carry no user information";
        }

        return null;
    }

    /// <summary>Checks settings without applying them; throws <see cref="DomainRuleViolationException"/> naming the field.</summary>
    public static void ValidateSettings(ProtectedResourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Guard.Against(string.IsNullOrWhiteSpace(settings.Name) || settings.Name.Length > MaxNameLength || settings.Name.Any(char.IsControl), "name",
            $"name is required: at most {MaxNameLength} characters, no control characters.");
        Guard.Against(settings.Scopes is not { Count: > 0 }, "scopes", "A resource needs at least one scope.");
        Guard.Against(settings.Scopes.Count > ScopeRules.MaxScopes, "scopes", $"A resource has at most {ScopeRules.MaxScopes} scopes.");
        Guard.Against(settings.Scopes.Any(scope => scope is null || !ScopeRules.IsValidScopeToken(scope)), "scopes",
            "Each scope must be a valid scope token (RFC 6749 §3.3).");
        Guard.Against(settings.Scopes.Distinct(StringComparer.Ordinal).Count() != settings.Scopes.Count, "scopes", "Scopes must not repeat.");
        Guard.Against(settings.AccessTokenLifetime is { } lifetime
            && (lifetime < ClientSettings.MinAccessTokenLifetime || lifetime > ClientSettings.MaxAccessTokenLifetime), "access_token_lifetime",
            $"The access token lifetime must be between {ClientSettings.MinAccessTokenLifetime.TotalSeconds} and {ClientSettings.MaxAccessTokenLifetime.TotalSeconds} seconds.");
        Guard.Against(settings.AccessTokenSigningAlg is { } alg && !SigningAlgorithms.IsSupported(alg), "access_token_signing_alg",
            $"access_token_signing_alg must be one of: {string.Join(", ", SigningAlgorithms.Supported)}.");
        ValidateClientIds(settings.IntrospectionClients ?? [], "introspection_clients");
        ValidateClientIds(settings.AllowedClients ?? [], "allowed_clients");
    }

    private static void ValidateClientIds(IReadOnlyList<string> clientIds, string field)
    {
        Guard.Against(clientIds.Count > MaxClients, field, $"At most {MaxClients} client ids.");
        foreach (var clientId in clientIds)
        {
            try
            {
                Client.ValidateClientId(clientId);
            }
            catch (DomainRuleViolationException ex)
            {
                throw new DomainRuleViolationException(field, ex.Message);
            }
        }

        Guard.Against(clientIds.Distinct(StringComparer.Ordinal).Count() != clientIds.Count, field, "Client ids must not repeat.");
    }

    private void Apply(ProtectedResourceSettings settings, DateTimeOffset now)
    {
        Name = settings.Name;
        _scopes = [.. settings.Scopes];
        AccessTokenLifetime = settings.AccessTokenLifetime;
        AccessTokenSigningAlg = settings.AccessTokenSigningAlg;
        _introspectionClients = [.. settings.IntrospectionClients ?? []];
        _allowedClients = [.. settings.AllowedClients ?? []];
        UpdatedAt = now;
    }

    private bool HasSettings(ProtectedResourceSettings settings) =>
        Name == settings.Name
        && _scopes.SequenceEqual(settings.Scopes)
        && AccessTokenLifetime == settings.AccessTokenLifetime
        && AccessTokenSigningAlg == settings.AccessTokenSigningAlg
        && _introspectionClients.SequenceEqual(settings.IntrospectionClients ?? [])
        && _allowedClients.SequenceEqual(settings.AllowedClients ?? []);
}
