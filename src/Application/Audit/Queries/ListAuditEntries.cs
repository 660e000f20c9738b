using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Domain.Audit;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Audit.Queries;

/// <summary>An audit entry as the admin API shows it. <c>details</c> is the entry's small JSON object of further facts.</summary>
public sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset OccurredAt,
    string EventType,
    string ActorType,
    string ActorId,
    string? SubjectType,
    string? SubjectId,
    string? ClientId,
    string? SourceAddress,
    JsonElement? Details)
{
    public static AuditEntryResponse From(AuditEntry entry) => new(
        entry.Id, entry.OccurredAt.ToUniversalTime(), entry.EventType, entry.ActorType, entry.ActorId, entry.SubjectType, entry.SubjectId,
        entry.ClientId, entry.SourceAddress, entry.Details is null ? null : JsonDocument.Parse(entry.Details).RootElement.Clone());
}

/// <summary>The filters both audit queries take; <c>to</c> is exclusive.</summary>
public interface IAuditQuery
{
    DateTimeOffset? From { get; }

    DateTimeOffset? To { get; }

    string? EventType { get; }

    string? Actor { get; }

    string? Subject { get; }

    string? ClientId { get; }
}

/// <summary>Audit entries, newest first, filtered and paged by cursor.</summary>
public sealed record ListAuditEntries(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? EventType = null,
    string? Actor = null,
    string? Subject = null,
    string? ClientId = null,
    string? Cursor = null,
    int? Limit = null) : IRequest<Page<AuditEntryResponse>>, IAuditQuery;

/// <summary>Every matching entry, oldest first, for export as NDJSON.</summary>
public sealed record ExportAuditEntries(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? EventType = null,
    string? Actor = null,
    string? Subject = null,
    string? ClientId = null) : IRequest<IAsyncEnumerable<AuditEntryResponse>>, IAuditQuery;

public sealed class AuditQueryRules<T> : AbstractValidator<T>
    where T : IAuditQuery
{
    public AuditQueryRules()
    {
        RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || q.From < to).OverridePropertyName("to").WithMessage("to must be later than from.");
        RuleFor(q => q.EventType).MaximumLength(AuditEntry.MaxEventTypeLength).OverridePropertyName("event_type");
        RuleFor(q => q.Actor).MaximumLength(AuditEntry.MaxIdLength).OverridePropertyName("actor");
        RuleFor(q => q.Subject).MaximumLength(AuditEntry.MaxIdLength).OverridePropertyName("subject");
        RuleFor(q => q.ClientId).MaximumLength(AuditEntry.MaxIdLength).OverridePropertyName("client_id");
    }
}

public sealed class ListAuditEntriesValidator : AbstractValidator<ListAuditEntries>
{
    public ListAuditEntriesValidator() => Include(new AuditQueryRules<ListAuditEntries>());
}

public sealed class ExportAuditEntriesValidator : AbstractValidator<ExportAuditEntries>
{
    public ExportAuditEntriesValidator() => Include(new AuditQueryRules<ExportAuditEntries>());
}

public sealed class ListAuditEntriesHandler(IAuditLog log, IPageCursors cursors) :
    IRequestHandler<ListAuditEntries, Page<AuditEntryResponse>>,
    IRequestHandler<ExportAuditEntries, IAsyncEnumerable<AuditEntryResponse>>
{
    public async Task<Page<AuditEntryResponse>> Handle(ListAuditEntries request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("audit-events", request.Cursor, request.Limit, cursors);
        long? before = page.After is null ? null : long.Parse(page.After, NumberStyles.None, CultureInfo.InvariantCulture);
        var rows = await log.QueryAsync(FilterOf(request), before, page.Limit + 1, cancellationToken);
        return page.ToPage(rows, e => e.Id.ToString(CultureInfo.InvariantCulture), AuditEntryResponse.From, cursors);
    }

    public Task<IAsyncEnumerable<AuditEntryResponse>> Handle(ExportAuditEntries request, CancellationToken cancellationToken) =>
        Task.FromResult(Export(FilterOf(request), cancellationToken));

    private async IAsyncEnumerable<AuditEntryResponse> Export(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in log.StreamAsync(filter, cancellationToken))
        {
            yield return AuditEntryResponse.From(entry);
        }
    }

    private static AuditFilter FilterOf(IAuditQuery query) =>
        new(query.From, query.To, query.EventType, query.Actor, query.Subject, query.ClientId);
}
