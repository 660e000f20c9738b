using System.Collections.Concurrent;
using System.Text.Json;
using AuthService.ResourceServer.Jose;
using Microsoft.Extensions.Logging;

namespace AuthService.ResourceServer.Authority;

/// <summary>
/// The authority's metadata and signing keys, fetched on first use and kept in memory: fetched again after
/// <see cref="AuthServiceTokenOptions.MetadataRefreshInterval"/>, or earlier when a token names a <c>kid</c> that
/// is not known (a new key rotated in), but never more often than <see cref="AuthServiceTokenOptions.UnknownKeyRefreshInterval"/>,
/// whatever the outcome. One fetch at a time per authority; a failed fetch keeps the keys already known.
/// </summary>
internal sealed partial class AuthorityDocuments(IHttpClientFactory httpClients, TimeProvider clock, ILogger<AuthorityDocuments> logger)
{
    private readonly ConcurrentDictionary<string, AuthorityState> _authorities = new(StringComparer.Ordinal);

    /// <summary>The metadata, fetched when missing or due; null when the authority could never be read.</summary>
    public async ValueTask<AuthorityMetadata?> GetAsync(AuthServiceTokenOptions options, CancellationToken cancellationToken)
    {
        var state = _authorities.GetOrAdd(options.Authority!, _ => new AuthorityState());
        var current = state.Current;
        var now = clock.GetUtcNow();
        if (current is not null && now - current.FetchedAt < options.MetadataRefreshInterval)
        {
            return current;
        }

        return await RefreshAsync(state, options, current, cancellationToken) ?? current;
    }

    /// <summary>
    /// The key named <paramref name="keyId"/>. An unknown <c>kid</c> triggers one refresh, unless the last fetch
    /// was less than <see cref="AuthServiceTokenOptions.UnknownKeyRefreshInterval"/> ago.
    /// </summary>
    public async ValueTask<KeyLookup> FindKeyAsync(AuthServiceTokenOptions options, string keyId, CancellationToken cancellationToken)
    {
        var metadata = await GetAsync(options, cancellationToken);
        if (metadata is null)
        {
            return new KeyLookup(null, AuthorityUnavailable: true);
        }

        if (metadata.Keys.TryGetValue(keyId, out var key))
        {
            return new KeyLookup(key, AuthorityUnavailable: false);
        }

        var state = _authorities[options.Authority!];
        if (clock.GetUtcNow() - state.LastAttempt < options.UnknownKeyRefreshInterval)
        {
            return new KeyLookup(null, AuthorityUnavailable: false);
        }

        var refreshed = await RefreshAsync(state, options, metadata, cancellationToken) ?? metadata;
        return new KeyLookup(refreshed.Keys.GetValueOrDefault(keyId), AuthorityUnavailable: false);
    }

    private async Task<AuthorityMetadata?> RefreshAsync(AuthorityState state, AuthServiceTokenOptions options, AuthorityMetadata? seen, CancellationToken cancellationToken)
    {
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another request refreshed while this one waited: use its result.
            if (!ReferenceEquals(state.Current, seen) && state.Current is { } newer)
            {
                return newer;
            }

            var now = clock.GetUtcNow();
            if (now - state.LastAttempt < options.UnknownKeyRefreshInterval && state.LastAttempt != default)
            {
                // A failed fetch moments ago: do not hammer an authority that is down.
                return state.Current is { } known && now - known.FetchedAt < options.MetadataRefreshInterval ? known : null;
            }

            state.LastAttempt = now;
            var fetched = await FetchAsync(options, now, cancellationToken);
            if (fetched is not null)
            {
                state.Current = fetched;
            }

            return fetched;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task<AuthorityMetadata?> FetchAsync(AuthServiceTokenOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(AuthServiceTokenDefaults.HttpClientName);
        foreach (var metadataUrl in MetadataUrls(new Uri(options.Authority!)))
        {
            using var metadata = await BackchannelHttp.SendForJsonAsync(client, new HttpRequestMessage(HttpMethod.Get, metadataUrl), options.BackchannelTimeout, cancellationToken);
            if (metadata is null)
            {
                continue;
            }

            var root = metadata.RootElement;

            // RFC 8414 §3.3: the issuer in the metadata MUST be identical to the one the metadata was fetched for,
            // or an attacker's metadata could be used for our authority (and its keys for our tokens).
            if (String(root, "issuer") != options.Authority)
            {
                LogIssuerMismatch(logger, metadataUrl);
                return null;
            }

            var jwksUri = Endpoint(root, "jwks_uri", options);
            if (jwksUri is null)
            {
                LogBadMetadata(logger, metadataUrl, "jwks_uri");
                return null;
            }

            var introspection = root.TryGetProperty("introspection_endpoint", out _) ? Endpoint(root, "introspection_endpoint", options) : null;
            using var jwks = await BackchannelHttp.SendForJsonAsync(client, new HttpRequestMessage(HttpMethod.Get, jwksUri), options.BackchannelTimeout, cancellationToken);
            if (jwks is null || !jwks.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                LogUnreachable(logger, jwksUri);
                return null;
            }

            return new AuthorityMetadata(options.Authority!, jwksUri, introspection, SigningKeys(keys), now);
        }

        LogUnreachable(logger, new Uri(options.Authority!));
        return null;
    }

    /// <summary>
    /// RFC 8414 §3.1 inserts the well-known segment between host and path; OpenID Connect Discovery §4 appends
    /// <c>/.well-known/openid-configuration</c> to the issuer. For an issuer without a path both are the same
    /// place; AuthService serves both suffixes under its issuer, so the appended RFC 8414 form is tried too.
    /// </summary>
    internal static IEnumerable<Uri> MetadataUrls(Uri authority)
    {
        var origin = authority.GetLeftPart(UriPartial.Authority);
        var path = authority.AbsolutePath.TrimEnd('/');
        var candidates = new List<string>
        {
            origin + "/.well-known/oauth-authorization-server" + path,
            origin + path + "/.well-known/oauth-authorization-server",
            origin + path + "/.well-known/openid-configuration",
        };
        return candidates.Distinct(StringComparer.Ordinal).Select(u => new Uri(u));
    }

    /// <summary>
    /// Signature keys of the JWKS by <c>kid</c>: keys for encryption (<c>use: enc</c>), without a <c>kid</c>, with
    /// private members, of a type or curve this library does not verify, or whose <c>kid</c> repeats, are left out.
    /// </summary>
    private static Dictionary<string, VerificationKey> SigningKeys(JsonElement keys)
    {
        var byId = new Dictionary<string, VerificationKey>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var jwk in keys.EnumerateArray())
        {
            if (jwk.ValueKind != JsonValueKind.Object || (String(jwk, "use") is { } use && use != "sig")
                || JsonWebKeyReader.Read(jwk) is not { KeyId: { Length: > 0 } keyId } key)
            {
                continue;
            }

            if (!byId.TryAdd(keyId, key))
            {
                repeated.Add(keyId);
            }
        }

        // Two keys under one kid: which one a token means is ambiguous, so neither is used.
        foreach (var keyId in repeated)
        {
            byId.Remove(keyId);
        }

        return byId;
    }

    private Uri? Endpoint(JsonElement metadata, string name, AuthServiceTokenOptions options) =>
        Uri.TryCreate(String(metadata, name), UriKind.Absolute, out var url) && AuthorityRules.Problem(url, options.AllowInsecureAuthority, name) is null
            ? url
            : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "The authority's metadata at {Url} names another issuer than the configured Authority; its keys are not used.")]
    private static partial void LogIssuerMismatch(ILogger logger, Uri url);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "The authority's metadata at {Url} has no usable {Member} (absent, not absolute, or not https).")]
    private static partial void LogBadMetadata(ILogger logger, Uri url, string member);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Could not read the authority's metadata or keys from {Url}.")]
    private static partial void LogUnreachable(ILogger logger, Uri url);

    private sealed class AuthorityState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile AuthorityMetadata? Current;

        private long _lastAttemptTicks;

        /// <summary>When the authority was last asked (UTC); read outside the gate, so stored as one atomic 64-bit value.</summary>
        public DateTimeOffset LastAttempt
        {
            get => new(Volatile.Read(ref _lastAttemptTicks), TimeSpan.Zero);
            set => Volatile.Write(ref _lastAttemptTicks, value.UtcTicks);
        }
    }
}

/// <summary>A key looked up by <c>kid</c>; <see cref="AuthorityUnavailable"/> when no metadata could ever be read.</summary>
internal readonly record struct KeyLookup(VerificationKey? Key, bool AuthorityUnavailable);
