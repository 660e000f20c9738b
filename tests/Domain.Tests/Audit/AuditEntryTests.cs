using AuthService.Domain.Audit;
using AuthService.Domain.Common;

namespace AuthService.Domain.Tests.Audit;

public sealed class AuditEntryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Records_what_it_is_given()
    {
        var entry = AuditEntry.Record(Now, "client.deleted", "admin_client", "ADM", "client", "web", "web", "10.0.0.1", "{\"a\":\"b\"}");

        Assert.Equal(Now, entry.OccurredAt);
        Assert.Equal("client.deleted", entry.EventType);
        Assert.Equal(("admin_client", "ADM"), (entry.ActorType, entry.ActorId));
        Assert.Equal(("client", "web", "web"), (entry.SubjectType, entry.SubjectId, entry.ClientId));
        Assert.Equal("10.0.0.1", entry.SourceAddress);
        Assert.Equal("{\"a\":\"b\"}", entry.Details);
    }

    [Theory]
    [InlineData("", "user", "u1", "event_type")]
    [InlineData("user.created", "", "u1", "actor")]
    [InlineData("user.created", "user", "", "actor")]
    public void Needs_an_event_type_and_an_actor(string type, string actorType, string actorId, string field)
    {
        var error = Assert.Throws<DomainRuleViolationException>(() => AuditEntry.Record(Now, type, actorType, actorId, null, null, null, null, null));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Refuses_a_local_time_and_oversized_details()
    {
        Assert.Equal("occurred_at", Assert.Throws<DomainRuleViolationException>(() =>
            AuditEntry.Record(Now.ToOffset(TimeSpan.FromHours(2)), "user.created", "system", "s", null, null, null, null, null)).Field);
        Assert.Equal("details", Assert.Throws<DomainRuleViolationException>(() =>
            AuditEntry.Record(Now, "user.created", "system", "s", null, null, null, null, new string('x', AuditEntry.MaxDetailsLength + 1))).Field);
    }

    [Fact]
    public void Clips_long_ids_and_addresses_instead_of_failing_the_change_it_records()
    {
        var entry = AuditEntry.Record(Now, "client.created", "admin_client", new string('a', 300), "client", new string('b', 300), new string('c', 300),
            new string('1', 100), null);

        Assert.Equal(AuditEntry.MaxIdLength, entry.ActorId.Length);
        Assert.Equal(AuditEntry.MaxIdLength, entry.SubjectId!.Length);
        Assert.Equal(AuditEntry.MaxIdLength, entry.ClientId!.Length);
        Assert.Equal(64, entry.SourceAddress!.Length);
    }
}
