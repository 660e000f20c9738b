using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Resources.Common;
using AuthService.Domain.Resources;
using MediatR;

namespace AuthService.Application.Resources.Queries.ListResources;

/// <summary>Protected resources ordered by identifier, paged by cursor.</summary>
public sealed record ListResources(string? Cursor = null, int? Limit = null) : IRequest<Page<ResourceResponse>>;

public sealed class ListResourcesHandler(IProtectedResourceRepository resources, IPageCursors cursors)
    : IRequestHandler<ListResources, Page<ResourceResponse>>
{
    public async Task<Page<ResourceResponse>> Handle(ListResources request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("resources", request.Cursor, request.Limit, cursors);
        var rows = await resources.ListAsync(page.After, page.Limit + 1, cancellationToken);
        return page.ToPage(rows, r => r.Resource, ResourceResponse.From, cursors);
    }
}
