using System.Collections.Concurrent;
using AuthService.Application.Audit;
using AuthService.Application.Clients.MetadataDocuments;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Infrastructure.Security.Outbound;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// Resolves a client_id that is an https URL by fetching its client ID metadata document
/// (draft-ietf-oauth-client-id-metadata-document) through the <see cref="HardenedFetcher"/>, and keeps the client
/// built from it for as long as the document's cache headers say, within <c>Auth:ClientIdMetadataDocuments:MinCacheSeconds</c>
/// and <c>:MaxCacheSeconds</c> (a refusal is kept for the minimum, so a bad document is not fetched per request).
/// Each replica fetches and keeps its own copy; nothing is shared. A first fetch, a refresh and a refusal are audited.
/// </summary>
internal sealed partial class ClientIdMetadataDocumentResolver(
    HardenedFetcher fetcher,
    IOptions<ClientIdMetadataDocumentOptions> options,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<ClientIdMetadataDocumentResolver> logger) : IDisposable
{
    /// <summary>The draft's recommendation for the time a fetch may take.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A refusal's reason as audited: well within the details column, whatever an exception said.</summary>
    private const int MaxReasonLength = 1000;

    private static readonly TimeSpan StaleEntryLifetime = TimeSpan.FromMinutes(10);

    public const string ResolvedEvent = "client.metadata_document_resolved";
    public const string RefusedEvent = "client.metadata_document_refused";

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _inFlight = new(StringComparer.Ordinal);
    private readonly ClientIdMetadataDocumentOptions _options = options.Value;

    /// <summary>True when <paramref name="clientId"/> is resolved here rather than looked up in the store.</summary>
    public bool Handles(string clientId) => _options.Enabled && ClientIdMetadataDocuments.IsDocumentUrl(clientId);

    /// <summary>The client the document describes, or null when it cannot be fetched or is not acceptable.</summary>
    public async ValueTask<ClientSnapshot?> ResolveAsync(string clientId, CancellationToken cancellationToken)
    {
        if (clientId.Length > Client.MaxClientIdLength)
        {
            // Not a client id this server accepts at all (as for any other client): nothing to fetch or audit.
            return null;
        }

        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(clientId, out Entry? cached) && cached!.FreshUntil > now)
        {
            return cached.Client;
        }

        // Concurrent requests for one document share one fetch; the fetch is not tied to any one request's cancellation.
        var lazy = _inFlight.GetOrAdd(clientId, id => new Lazy<Task<Entry>>(() => FetchAsync(id, refresh: cached?.Client is not null)));
        var entry = await lazy.Value.WaitAsync(cancellationToken);
        return entry.Client;
    }

    public void Dispose() => _cache.Dispose();

    private async Task<Entry> FetchAsync(string clientId, bool refresh)
    {
        try
        {
            return await FetchAndRecordAsync(clientId, refresh);
        }
        finally
        {
            // The entry is cached by now: the next request after this one finds it, or starts a new fetch when it is stale.
            _inFlight.TryRemove(clientId, out _);
        }
    }

    private async Task<Entry> FetchAndRecordAsync(string clientId, bool refresh)
    {
        var (client, failure, freshFor) = await ResolveUncachedAsync(clientId);
        var keepFor = TimeSpan.FromSeconds(Math.Clamp(
            (freshFor ?? TimeSpan.Zero).TotalSeconds, _options.MinCacheSeconds, client is null ? _options.MinCacheSeconds : _options.MaxCacheSeconds));
        var entry = new Entry(client is null ? null : ClientSnapshot.FromMetadataDocument(client), clock.GetUtcNow() + keepFor);
        // Kept a while past its freshness, so that the next fetch is known as a refresh; the cache is bounded.
        _cache.Set(clientId, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = keepFor + StaleEntryLifetime });

        if (failure is null)
        {
            LogResolved(logger, clientId, (long)keepFor.TotalSeconds);
            await AuditAsync(new AuditRecord(ResolvedEvent, "client", clientId, clientId, new Dictionary<string, string?>
            {
                ["refresh"] = refresh ? "true" : "false",
                ["cached_seconds"] = ((long)keepFor.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, AuditActor.Client(clientId)));
        }
        else
        {
            LogRefused(logger, clientId, failure);
            await AuditAsync(new AuditRecord(RefusedEvent, "client", clientId, clientId,
                new Dictionary<string, string?> { ["reason"] = failure.Length > MaxReasonLength ? failure[..MaxReasonLength] : failure },
                AuditActor.Client(clientId)));
        }

        return entry;
    }

    private async Task<(Client? Client, string? Failure, TimeSpan? FreshFor)> ResolveUncachedAsync(string clientId)
    {
        if (ClientIdMetadataDocuments.ValidateUrl(clientId) is { } urlError)
        {
            return (null, $"the client_id {urlError}", null);
        }

        var uri = new Uri(clientId);
        if (!_options.PermitsHost(uri.IdnHost.ToLowerInvariant()))
        {
            return (null, "the host is not allowed by Auth:ClientIdMetadataDocuments", null);
        }

        var response = await fetcher.GetAsync(uri, "application/json", ClientIdMetadataDocuments.MaxDocumentBytes, FetchTimeout, CancellationToken.None);
        if (response.Body is not { } body)
        {
            return (null, response.Failure, null);
        }

        try
        {
            return (ClientIdMetadataDocument.Parse(clientId, body, _options.AllowedScopeList), null, response.FreshFor);
        }
        catch (DomainRuleViolationException ex)
        {
            return (null, $"{ex.Field}: {ex.Message}", null);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // Whatever a stranger's document does to the parser, it is a refusal, never a 500.
            return (null, $"the document could not be read ({ex.GetType().Name})", null);
        }
    }

    /// <summary>Written in its own unit of work: resolving a client changes nothing else. A failed write is logged, not thrown.</summary>
    private async Task AuditAsync(AuditRecord record)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<IAuditTrail>().Record(record);
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAuditFailed(logger, record.EventType, ex);
        }
    }

    /// <summary>Wraps the snapshot so that a refusal is kept too.</summary>
    private sealed record Entry(ClientSnapshot? Client, DateTimeOffset FreshUntil);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information,
        Message = "Client ID metadata document {ClientId} resolved, kept for {Seconds} s")]
    private static partial void LogResolved(ILogger logger, string clientId, long seconds);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning,
        Message = "Security event client_metadata_document_refused: the client ID metadata document {ClientId} was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Error, Message = "The audit entry {EventType} could not be written")]
    private static partial void LogAuditFailed(ILogger logger, string eventType, Exception exception);
}
