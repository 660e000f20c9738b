using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuthService.Application.Audit;

namespace AuthService.Infrastructure.Observability;

/// <summary>
/// AuthService's own instruments, on one <see cref="Meter"/> named <see cref="AuthServiceTelemetry.Name"/>. Names follow the
/// OpenTelemetry conventions (dotted, a unit per instrument); docs/operations.md lists each with its tags. Every recording
/// first asks the instrument whether anything listens, so with telemetry off (the default) the token endpoint pays one
/// flag check, no tag list and no dictionary lookup.
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

    /// <summary>The failure reasons of the sign-in forms (the audit log's); any other reason is tagged <c>other</c>, so an upstream's text never becomes a label.</summary>
    private static readonly FrozenReasons SignInReasons = new(
        "unknown_user", "no_password", "wrong_password", "disabled", "locked_out", "refused", "wrong_second_factor", "wrong_current_password");

    private readonly ConcurrentDictionary<string, byte> _clientIds = new(StringComparer.Ordinal);
    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _tokenErrors;
    private readonly Counter<long> _signIns;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _refreshReuse;
    private readonly Counter<long> _codeReplay;
    private readonly Counter<long> _jobRuns;

    public AuthServiceMetrics(IMeterFactory meters, StoreGauges store)
    {
        var meter = meters.Create(AuthServiceTelemetry.Name);
        _tokensIssued = meter.CreateCounter<long>("authservice.token.issued", "{token}",
            "Successful token endpoint responses, by grant_type and client_id.");
        _tokenErrors = meter.CreateCounter<long>("authservice.token.errors", "{error}",
            "Token endpoint error responses, by the RFC 6749 §5.2 error code and grant_type.");
        _signIns = meter.CreateCounter<long>("authservice.sign_in.attempts", "{attempt}",
            "Sign-ins: outcome succeeded (a session started) or failed (with the audit log's reason).");
        _lockouts = meter.CreateCounter<long>("authservice.user.lockouts", "{lockout}",
            "Accounts locked out after repeated wrong passwords.");
        _refreshReuse = meter.CreateCounter<long>("authservice.refresh_token.reuse_detected", "{event}",
            "A rotated refresh token presented again: its family was revoked (RFC 9700 §4.14.2).");
        _codeReplay = meter.CreateCounter<long>("authservice.authorization_code.replay_detected", "{event}",
            "An authorization code redeemed a second time: what it produced was revoked (RFC 9700 §4.2.4).");
        _jobRuns = meter.CreateCounter<long>("authservice.job.runs", "{run}",
            "Runs of the scheduled jobs, by job and outcome (succeeded or failed).");
        meter.CreateObservableGauge("authservice.signing_key.age", store.SigningKeyAges, "s",
            "Seconds since the active signing key of each algorithm (alg) was activated.");
        meter.CreateObservableGauge("authservice.outbox.pending", store.OutboxBacklogs, "{message}",
            "Rows of each outbox (email, email_request, logout_notification, webhook_delivery) still to be delivered.");
    }

    /// <summary>
    /// One answer of the token endpoint: issued for <paramref name="clientId"/> (the authenticated client) when
    /// <paramref name="error"/> is null, else the error. <paramref name="grantType"/> must be a supported grant's name, or
    /// null for a request without one or with one this server does not offer (the caller's text is never a tag).
    /// </summary>
    public void TokenEndpointAnswered(string? grantType, string? clientId, string? error)
    {
        if (error is null)
        {
            if (_tokensIssued.Enabled)
            {
                _tokensIssued.Add(1, new KeyValuePair<string, object?>("grant_type", grantType), new KeyValuePair<string, object?>("client_id", ClientTag(clientId)));
            }
        }
        else if (_tokenErrors.Enabled)
        {
            _tokenErrors.Add(1, new KeyValuePair<string, object?>("error", error), new KeyValuePair<string, object?>("grant_type", grantType ?? "none"));
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
                case "user.signed_in" when _signIns.Enabled:
                    _signIns.Add(1, new KeyValuePair<string, object?>("outcome", "succeeded"));
                    break;
                case "user.sign_in_failed" when _signIns.Enabled:
                    var reason = record.Details is { } details && details.TryGetValue("reason", out var value) ? value : null;
                    _signIns.Add(1, new KeyValuePair<string, object?>("outcome", "failed"), new KeyValuePair<string, object?>("reason", SignInReasons.TagOf(reason)));
                    break;
                case "user.locked_out" when _lockouts.Enabled:
                    _lockouts.Add(1);
                    break;
                case "refresh_token.reuse_detected" when _refreshReuse.Enabled:
                    _refreshReuse.Add(1, new KeyValuePair<string, object?>("client_id", ClientTag(record.ClientId)));
                    break;
                case "authorization_code.replayed" when _codeReplay.Enabled:
                    _codeReplay.Add(1, new KeyValuePair<string, object?>("client_id", ClientTag(record.ClientId)));
                    break;
            }
        }
    }

    /// <summary>One run of <paramref name="job"/>, counted when disposed: failed unless <see cref="JobRun.Succeeded"/> was called first.</summary>
    public JobRun StartJob(string job) => new(this, job);

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
    public sealed class JobRun(AuthServiceMetrics metrics, string job) : IDisposable
    {
        private bool _succeeded;

        public void Succeeded() => _succeeded = true;

        public void Dispose()
        {
            if (metrics._jobRuns.Enabled)
            {
                metrics._jobRuns.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", _succeeded ? "succeeded" : "failed"));
            }
        }
    }

    private sealed class FrozenReasons(params string[] reasons)
    {
        private readonly HashSet<string> _reasons = new(reasons, StringComparer.Ordinal);

        public string TagOf(string? reason) => reason is not null && _reasons.TryGetValue(reason, out var known) ? known : "other";
    }
}
