using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>The filters the audit query and the export share, as query parameters.</summary>
public sealed record AuditFilterParameters(
    [FromQuery(Name = "from")] DateTimeOffset? From,
    [FromQuery(Name = "to")] DateTimeOffset? To,
    [FromQuery(Name = "event_type")] string? EventType,
    [FromQuery(Name = "actor")] string? Actor,
    [FromQuery(Name = "subject")] string? Subject,
    [FromQuery(Name = "client_id")] string? ClientId);
