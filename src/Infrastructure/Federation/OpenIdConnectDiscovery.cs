using System.Collections.Concurrent;
using System.Text.Json;
using AuthService.Application.Federation;
using AuthService.Domain.Clients;
using AuthService.Domain.Federation;
using AuthService.Infrastructure.Security.ClientKeys;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Federation;

/// <summary>
/// An upstream OpenID Provider's metadata (OIDC Discovery §4) and keys, fetched through <see cref="UpstreamHttp"/> and
/// kept per issuer: a good document for <see cref="CacheFor"/>, a failure for <see cref="FailureFor"/> only (an upstream
/// that was down is tried again soon, but a burst of sign-ins does not hammer it). The key set is kept by the
/// <see cref="JwksUriCache"/> rules shared with clients' key sets: an unknown <c>kid</c> (the upstream rotated) fetches
/// again at most once per <see cref="RefetchAfter"/>.
/// </summary>
internal sealed partial class OpenIdConnectDiscovery
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    public static readonly TimeSpan FailureFor = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RefetchAfter = TimeSpan.FromSeconds(30);

    private const string MicrosoftTenantTemplate = "{tenantid}";

    private readonly UpstreamHttp _http;
    private readonly TimeProvider _clock;
    private readonly ILogger<OpenIdConnectDiscovery> _logger;
    private readonly JwksUriCache _keys;
    private readonly ConcurrentDictionary<string, Entry> _documents = new(StringComparer.Ordinal);

    public OpenIdConnectDiscovery(UpstreamHttp http, TimeProvider clock, ILogger<OpenIdConnectDiscovery> logger)
    {
        _http = http;
        _clock = clock;
        _logger = logger;
        _keys = new JwksUriCache(FetchKeySetAsync, CacheFor, RefetchAfter, clock);
    }

    /// <summary>The provider's validated metadata; throws <see cref="UpstreamUnavailableException"/> when it cannot be had.</summary>
    public async Task<UpstreamMetadata> GetAsync(ExternalProvider provider, CancellationToken cancellationToken)
    {
        var issuer = provider.Issuer ?? throw new UpstreamUnavailableException($"Provider {provider.Name} has no issuer.");
        var microsoft = provider.Preset == ExternalProviderPresets.Microsoft;
        var key = $"{issuer}\n{microsoft}";
        var now = _clock.GetUtcNow();
        if (_documents.TryGetValue(key, out var entry) && now - entry.At < (entry.Metadata is null ? FailureFor : CacheFor))
        {
            return entry.Metadata ?? throw new UpstreamUnavailableException($"The discovery document of {provider.Name} could not be used a moment ago: {entry.Failure}");
        }

        // OIDC Discovery §4: the issuer without a trailing slash, then the well-known path.
        var url = new Uri($"{issuer.TrimEnd('/')}/.well-known/openid-configuration");
        var response = await _http.GetAsync(url, "application/json", null, cancellationToken);
        var failure = response.Failure
            ?? (response.Status != 200 ? $"it answered {response.Status}" : null);
        UpstreamMetadata? metadata = null;
        if (failure is null)
        {
            (metadata, failure) = Validate(response.Body!, issuer, microsoft);
        }

        _documents[key] = new Entry(metadata, failure, now);
        if (metadata is null)
        {
            LogDiscoveryFailed(_logger, provider.Name, failure!);
            throw new UpstreamUnavailableException($"The discovery document of {provider.Name} could not be used: {failure}");
        }

        return metadata;
    }

    /// <summary>The upstream's public keys for <paramref name="kid"/>; empty when its key set cannot be fetched.</summary>
    public async Task<IReadOnlyList<JsonWebKey>> KeysAsync(UpstreamMetadata metadata, string? kid, CancellationToken cancellationToken) =>
        await _keys.ResolveAsync(metadata.Issuer, metadata.JwksUri, kid, cancellationToken);

    /// <summary>
    /// OIDC Discovery §4.3: the document's <c>issuer</c> must be the configured one (else it is another provider's, or an
    /// impersonation). Microsoft's multi-tenant document names the template <c>…/{tenantid}/v2.0</c> instead: accepted
    /// for the Microsoft preset only, when it is the configured issuer with its tenant segment as the template
    /// (each token's issuer is then checked against its own <c>tid</c>, <see cref="ExternalProviderPresets.ExpectedIssuer"/>).
    /// The endpoints are https; http only when the configured issuer is itself http on a loopback host, and then only on loopback.
    /// </summary>
    internal static (UpstreamMetadata? Metadata, string? Failure) Validate(string json, string configuredIssuer, bool microsoft)
    {
        if (UpstreamRequests.ParseObject(json) is not { } document)
        {
            return (null, "the document is not a JSON object");
        }

        var issuer = UpstreamRequests.StringOf(document, "issuer");
        if (issuer is null || !(issuer == configuredIssuer || (microsoft && issuer == MicrosoftTemplateOf(configuredIssuer))))
        {
            return (null, "its issuer is not the configured issuer (OIDC Discovery §4.3)");
        }

        var loopbackHttp = Uri.TryCreate(configuredIssuer, UriKind.Absolute, out var issuerUri) && issuerUri.Scheme == Uri.UriSchemeHttp && issuerUri.IsLoopback;
        var authorization = Endpoint(document, "authorization_endpoint", loopbackHttp);
        var token = Endpoint(document, "token_endpoint", loopbackHttp);
        var jwks = Endpoint(document, "jwks_uri", loopbackHttp);
        if (authorization is null || token is null || jwks is null)
        {
            return (null, "authorization_endpoint, token_endpoint and jwks_uri must be absolute https URLs");
        }

        Uri? userInfo = null;
        if (document.TryGetProperty("userinfo_endpoint", out _) && (userInfo = Endpoint(document, "userinfo_endpoint", loopbackHttp)) is null)
        {
            return (null, "userinfo_endpoint must be an absolute https URL");
        }

        List<string> authMethods = [];
        if (document.TryGetProperty("token_endpoint_auth_methods_supported", out var methods))
        {
            if (methods.ValueKind != JsonValueKind.Array || methods.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String))
            {
                return (null, "token_endpoint_auth_methods_supported must be an array of strings");
            }

            authMethods = [.. methods.EnumerateArray().Select(m => m.GetString()!)];
        }

        var issParameter = document.TryGetProperty("authorization_response_iss_parameter_supported", out var iss) && iss.ValueKind == JsonValueKind.True;
        return (new UpstreamMetadata(issuer, authorization, token, userInfo, jwks.AbsoluteUri, authMethods, issParameter), null);
    }

    /// <summary><c>https://login.microsoftonline.com/common/v2.0</c> → <c>https://login.microsoftonline.com/{tenantid}/v2.0</c>.</summary>
    private static string? MicrosoftTemplateOf(string configuredIssuer)
    {
        if (!Uri.TryCreate(configuredIssuer, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.None);
        if (segments.Length < 2 || segments[1].Length == 0)
        {
            return null;
        }

        segments[1] = MicrosoftTenantTemplate;
        return $"{uri.GetLeftPart(UriPartial.Authority)}{string.Join('/', segments)}";
    }

    private static Uri? Endpoint(JsonElement document, string name, bool loopbackHttp) =>
        UpstreamRequests.StringOf(document, name) is { Length: <= ExternalProvider.MaxUrlLength } value
        && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
        && (uri.Scheme == Uri.UriSchemeHttps || (loopbackHttp && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            ? uri
            : null;

    private async Task<string?> FetchKeySetAsync(string issuer, string jwksUri, CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync(new Uri(jwksUri), "application/jwk-set+json, application/json", null, cancellationToken);
        var failure = response.Failure
            ?? (response.Status != 200 ? $"it answered {response.Status}" : null)
            ?? (ClientKeySetRules.ValidateJwks(response.Body!) is { } error ? $"the JWK Set {error}" : null);
        if (failure is not null)
        {
            LogKeysFailed(_logger, issuer, failure);
            return null;
        }

        return response.Body;
    }

    [LoggerMessage(EventId = 2150, Level = LogLevel.Warning, Message = "Upstream provider {Provider}: the discovery document could not be used: {Reason}")]
    private static partial void LogDiscoveryFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 2151, Level = LogLevel.Warning, Message = "Upstream issuer {Issuer}: the key set could not be used: {Reason}")]
    private static partial void LogKeysFailed(ILogger logger, string issuer, string reason);

    private sealed record Entry(UpstreamMetadata? Metadata, string? Failure, DateTimeOffset At);
}

/// <summary>What this server uses of an upstream's discovery document (OIDC Discovery §3, RFC 9207 §3).</summary>
internal sealed record UpstreamMetadata(
    string Issuer,
    Uri AuthorizationEndpoint,
    Uri TokenEndpoint,
    Uri? UserInfoEndpoint,
    string JwksUri,
    IReadOnlyList<string> TokenEndpointAuthMethods,
    bool IssParameterSupported)
{
    /// <summary>
    /// RFC 8414 §2: with no <c>token_endpoint_auth_methods_supported</c>, the default is <c>client_secret_basic</c>; basic
    /// whenever listed, else the secret in the body when listed (Apple lists only <c>client_secret_post</c>).
    /// </summary>
    public bool UsesBasicAuthentication =>
        TokenEndpointAuthMethods.Count == 0
        || TokenEndpointAuthMethods.Contains("client_secret_basic", StringComparer.Ordinal)
        || !TokenEndpointAuthMethods.Contains("client_secret_post", StringComparer.Ordinal);
}
