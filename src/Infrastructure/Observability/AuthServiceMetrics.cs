using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuthService.Application.Audit;

namespace AuthService.Infrastructure.Observability;

/// <summary>
/// AuthService's counters, on one process-wide <see cref="Meter"/> named <see cref="AuthServiceTelemetry.Name"/> (static, as
/// Npgsql's is: a meter that lived and died with a host would, on its disposal, end the metric streams that an exporter
/// shares between same-named instruments). Names follow the OpenTelemetry conventions (dotted, a unit per instrument);
/// docs/operations.md lists each with its tags. Every recording first asks the instrument whether anything listens, so
/// with telemetry off (the default) the token endpoint pays one flag check, no tag list and no dictionary lookup. The
/// gauges that read the database are <see cref="StoreGauges"/>'s.
/// </summary>
public sealed class AuthServiceMetrics
{
    /// <summary>The tag value standing for every client beyond <see cref="MaxClientIdTags"/> distinct ones.</summary>
    public const string OtherClients = "_other";

    /// <summary>
    /// Distinct <c>client_id</c> tag values per process. Each value is a time series in the backend: the ids come only from
    /// requests that succeeded (an authenticated, registered client), never from a failed request's claim, and beyond this
    /// many (open dynamic registration, client ID metadata documents) they are counted together as <see cref="OtherClients"/>.
    /// </summary>
    public const int MaxClientIdTags = 500;

    private static readonly Meter Meter = new(AuthServiceTelemetry.Name);

    private static readonly Counter<long> TokensIssued = Meter.CreateCounter<long>("authservice.token.issued", "{token}",
        "Successful token endpoint responses, by grant_type and client_id.");

    private static readonly Counter<long> TokenErrors = Meter.CreateCounter<long>("authservice.token.errors", "{error}",
        "Token endpoint error responses, by the RFC 6749 §5.2 error code and grant_type.");

    private static readonly Counter<long> SignIns = Meter.CreateCounter<long>("authservice.sign_in.attempts", "{attempt}",
        "Sign-ins: outcome succeeded (a session started) or failed (with the audit log's reason).");

    private static readonly Counter<long> Lockouts = Meter.CreateCounter<long>("authservice.user.lockouts", "{lockout}",
        "Accounts locked out after repeated wrong passwords.");

    private static readonly Counter<long> RefreshReuse = Meter.CreateCounter<long>("authservice.refresh_token.reuse_detected", "{event}",
        "A rotated refresh token presented again: its family was revoked (RFC 9700 §4.14.2).");

    private static readonly Counter<long> CodeReplay = Meter.CreateCounter<long>("authservice.authorization_code.replay_detected", "{event}",
        "An authorization code redeemed a second time: what it produced was revoked (RFC 9700 §4.2.4).");

    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>("authservice.job.runs", "{run}",
        "Runs of the scheduled jobs, by job and outcome (succeeded or failed).");

    /// <summary>The failure reasons of the sign-in forms (the audit log's); any other reason is tagged <c>other</c>, so an upstream's text never becomes a label.</summary>
    private static readonly FrozenReasons SignInReasons = new(
        "unknown_user", "no_password", "wrong_password", "disabled", "locked_out", "refused", "wrong_second_factor", "wrong_current_password");

    private readonly ConcurrentDictionary<string, byte> _clientIds = new(StringComparer.Ordinal);

    /// <summary>
    /// One answer of the token endpoint: issued for <paramref name="clientId"/> (the authenticated client) when
    /// <paramref name="error"/> is null, else the error. <paramref name="grantType"/> must be a supported grant's name, or
    /// null for a request without one or with one this server does not offer (the caller's text is never a tag).
    /// </summary>
    public void TokenEndpointAnswered(string? grantType, string? clientId, string? error)
    {
        if (error is null)
        {
            if (TokensIssued.Enabled)
            {
                TokensIssued.Add(1, new KeyValuePair<string, object?>("grant_type", grantType), new KeyValuePair<string, object?>("client_id", ClientTag(clientId)));
            }
        }
        else if (TokenErrors.Enabled)
        {
            TokenErrors.Add(1, new KeyValuePair<string, object?>("error", error), new KeyValuePair<string, object?>("grant_type", grantType ?? "none"));
        }
    }

    /// <summary>
    /// Counts the security facts of a save that succeeded, read from its audit records (docs/adr/0013), so a metric counts
    /// exactly what the audit log holds. The event types are those of <see cref="AuditEvents"/>.
    /// </summary>
    public void Committed(IReadOnlyList<AuditRecord> records)
    {
        foreach (var record in records)
        {
            switch (record.EventType)
            {
                case "user.signed_in" when SignIns.Enabled:
                    SignIns.Add(1, new KeyValuePair<string, object?>("outcome", "succeeded"));
                    break;
                case "user.sign_in_failed" when SignIns.Enabled:
                    var reason = record.Details is { } details && details.TryGetValue("reason", out var value) ? value : null;
                    SignIns.Add(1, new KeyValuePair<string, object?>("outcome", "failed"), new KeyValuePair<string, object?>("reason", SignInReasons.TagOf(reason)));
                    break;
                case "user.locked_out" when Lockouts.Enabled:
                    Lockouts.Add(1);
                    break;
                case "refresh_token.reuse_detected" when RefreshReuse.Enabled:
                    RefreshReuse.Add(1, new KeyValuePair<string, object?>("client_id", ClientTag(record.ClientId)));
                    break;
                case "authorization_code.replayed" when CodeReplay.Enabled:
                    CodeReplay.Add(1, new KeyValuePair<string, object?>("client_id", ClientTag(record.ClientId)));
                    break;
            }
        }
    }

    /// <summary>One run of <paramref name="job"/>, counted when disposed: failed unless <see cref="JobRun.Succeeded"/> was called first.</summary>
    public JobRun StartJob(string job) => new(job);

    private string? ClientTag(string? clientId)
    {
        if (clientId is null || _clientIds.ContainsKey(clientId))
        {
            return clientId;
        }

        // A race may admit a few more than the limit; the bound is about orders of magnitude, not an exact count.
        return _clientIds.Count < MaxClientIdTags && _clientIds.TryAdd(clientId, 0) ? clientId : OtherClients;
    }

    /// <summary>One run of a scheduled job, counted with its outcome when disposed.</summary>
    public sealed class JobRun(string job) : IDisposable
    {
        private bool _succeeded;

        public void Succeeded() => _succeeded = true;

        public void Dispose()
        {
            if (JobRuns.Enabled)
            {
                JobRuns.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", _succeeded ? "succeeded" : "failed"));
            }
        }
    }

    private sealed class FrozenReasons(params string[] reasons)
    {
        private readonly HashSet<string> _reasons = new(reasons, StringComparer.Ordinal);

        public string TagOf(string? reason) => reason is not null && _reasons.TryGetValue(reason, out var known) ? known : "other";
    }
}
