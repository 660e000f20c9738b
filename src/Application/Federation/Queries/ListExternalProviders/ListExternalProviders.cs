using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Federation.Common;
using AuthService.Domain.Federation;
using MediatR;

namespace AuthService.Application.Federation.Queries.ListExternalProviders;

/// <summary>Upstream providers ordered by name, paged by cursor like every admin list.</summary>
public sealed record ListExternalProviders(string? Cursor = null, int? Limit = null) : IRequest<Page<ExternalProviderResponse>>;

/// <summary>
/// A server has a handful of providers (each is a button on the sign-in page), so the page is cut from the full
/// ordered list rather than by a keyset query; the cursor is the last name, as for the other lists.
/// </summary>
public sealed class ListExternalProvidersHandler(IExternalProviderRepository providers, IPageCursors cursors)
    : IRequestHandler<ListExternalProviders, Page<ExternalProviderResponse>>
{
    public async Task<Page<ExternalProviderResponse>> Handle(ListExternalProviders request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("external-providers", request.Cursor, request.Limit, cursors);
        var all = await providers.ListAsync(enabledOnly: false, cancellationToken);
        var rows = all.Where(p => page.After is null || string.CompareOrdinal(p.Name, page.After) > 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal).Take(page.Limit + 1).ToList();
        return page.ToPage(rows, p => p.Name, ExternalProviderResponse.From, cursors);
    }
}
