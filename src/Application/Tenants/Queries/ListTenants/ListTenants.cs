using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Tenants;
using MediatR;

namespace AuthService.Application.Tenants.Queries.ListTenants;

/// <summary>
/// Every tenant (platform administrator only), ordered by slug and paged by a keyset cursor on the slug's unique index;
/// <c>slug_prefix</c> and <c>status</c> filter.
/// </summary>
public sealed record ListTenants(string? SlugPrefix, string? Status, string? Cursor = null, int? Limit = null) : IRequest<Page<TenantResponse>>;

public sealed class ListTenantsHandler(ITenantRepository tenants, IPageCursors cursors) : IRequestHandler<ListTenants, Page<TenantResponse>>
{
    public async Task<Page<TenantResponse>> Handle(ListTenants request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("tenants", request.Cursor, request.Limit, cursors);
        var status = request.Status is null ? (TenantStatus?)null
            : TenantStatuses.Parse(request.Status) ?? throw RequestValidationException.For("status", "status is active or suspended.");
        if (request.SlugPrefix is { Length: > Tenant.MaxSlugLength })
        {
            throw RequestValidationException.For("slug_prefix", $"slug_prefix is at most {Tenant.MaxSlugLength} characters.");
        }

        var rows = await tenants.ListAsync(request.SlugPrefix is { Length: > 0 } prefix ? prefix : null, status, page.After, page.Limit + 1, cancellationToken);
        return page.ToPage(rows, t => t.Slug, TenantResponse.From, cursors);
    }
}
