using System.Diagnostics.Metrics;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace AuthService.Infrastructure.Observability;

/// <summary>
/// The observable gauges that read the database: the age of each algorithm's active signing key and the pending rows of
/// each outbox. Their callbacks run only when a reader collects (a Prometheus scrape, an OTLP export), never on a request
/// path; a read is kept for <see cref="MinimumInterval"/> so two readers collecting together (Prometheus and OTLP) or one
/// collecting often share one round of queries. Each count is one index range of the outbox's (status, next attempt) index.
/// Created by the meter provider when metrics are on (<see cref="ObservabilityRegistration"/>), on this host's own meter:
/// off, nothing reads the database for them.
/// </summary>
public sealed partial class StoreGauges
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<StoreGauges> _logger;
    private readonly Lock _gate = new();
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private Reading _reading = Reading.Empty;

    public StoreGauges(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, ILogger<StoreGauges> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(AuthServiceTelemetry.Name);
        meter.CreateObservableGauge("authservice.signing_key.age", SigningKeyAges, "s",
            "Seconds since the active signing key of each algorithm (alg) was activated.");
        meter.CreateObservableGauge("authservice.outbox.pending", OutboxBacklogs, "{message}",
            "Rows of each outbox (email, email_request, logout_notification, webhook_delivery) still to be delivered.");
    }

    private IEnumerable<Measurement<double>> SigningKeyAges()
    {
        var reading = Read();
        var now = _clock.GetUtcNow();
        return [.. reading.ActiveKeys.Select(k => new Measurement<double>(Math.Max(0, (now - k.ActivatedAt).TotalSeconds), new KeyValuePair<string, object?>("alg", k.Algorithm)))];
    }

    private IEnumerable<Measurement<long>> OutboxBacklogs() =>
        [.. Read().Backlogs.Select(b => new Measurement<long>(b.Pending, new KeyValuePair<string, object?>("outbox", b.Outbox)))];

    private Reading Read()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (now - _readAt < MinimumInterval)
            {
                return _reading;
            }

            _readAt = now;
            try
            {
                _reading = Query();
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                // Database unreachable or not migrated yet: report nothing rather than stale or made-up values (a gap in the series
                // is what an alert on absent data sees); /readyz says why. Logged at debug: the readiness check already reports it.
                LogReadFailed(_logger, ex.GetType().Name);
                _reading = Reading.Empty;
            }

            return _reading;
        }
    }

    private Reading Query()
    {
        // The gauges' own SQL is not traced: it belongs to no request, and a span per collection would be noise.
        using var suppress = SuppressInstrumentationScope.Begin();
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var active = db.SigningKeys.AsNoTracking().Where(k => k.State == SigningKeyState.Active).ToList();
        var keys = SigningAlgorithms.Supported
            .Select(algorithm => SigningKeyPolicy.SelectSigningKey(active, algorithm))
            .OfType<SigningKey>()
            .Where(k => k.ActivatedAt is not null)
            .Select(k => (k.Algorithm, ActivatedAt: k.ActivatedAt!.Value))
            .ToList();
        List<(string, long)> backlogs =
        [
            ("email", Pending<Domain.Email.OutgoingEmail>(db)),
            ("email_request", Pending<Domain.Email.EmailRequest>(db)),
            ("logout_notification", Pending<Domain.LogoutNotifications.LogoutNotification>(db)),
            ("webhook_delivery", Pending<Domain.Webhooks.WebhookDelivery>(db)),
        ];
        return new Reading(keys, backlogs);
    }

    private static long Pending<TMessage>(AuthDbContext db)
        where TMessage : OutboxMessage =>
        db.Set<TMessage>().LongCount(m => m.Status == OutboxStatus.Pending);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "Telemetry gauges could not read the database ({ExceptionType}); no values this collection")]
    private static partial void LogReadFailed(ILogger logger, string exceptionType);

    private sealed record Reading(IReadOnlyList<(string Algorithm, DateTimeOffset ActivatedAt)> ActiveKeys, IReadOnlyList<(string Outbox, long Pending)> Backlogs)
    {
        public static readonly Reading Empty = new([], []);
    }
}
