namespace AuthService.Application.Outbox;

/// <summary>
/// The <c>Auth:Outbox</c> section: how long settled outbox rows (outgoing e-mail and back-channel logout notifications)
/// are kept for the admin views (<c>/admin/emails</c>, <c>/admin/logout-notifications</c>) before the clean-up job deletes
/// them. A pending row is never deleted. Validated at start.
/// </summary>
public sealed class OutboxRetentionOptions
{
    public const string SectionName = "Auth:Outbox";

    /// <summary>Counted from when the row was written; default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public bool IsValid => Retention >= TimeSpan.FromHours(1) && Retention <= TimeSpan.FromDays(3650);
}
