using AuthService.Application.Audit;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Keeps what handlers record explicitly, in order.</summary>
internal sealed class RecordingAuditTrail : IAuditTrail
{
    public List<AuditRecord> Records { get; } = [];

    public void Record(AuditRecord record) => Records.Add(record);
}
