using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Domain.Clients;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Clients.Queries.ListClients;

/// <summary>
/// Clients ordered by client_id, paged by cursor. Filters combine with AND: <c>client_id</c> (a prefix),
/// <c>search</c> (text in the client_id or name, case-insensitive), <c>enabled</c>, <c>grant_type</c>,
/// <c>registration_source</c> (<c>static</c> or <c>dynamic</c>).
/// </summary>
public sealed record ListClients(
    string? ClientIdPrefix = null,
    string? Search = null,
    bool? Enabled = null,
    string? GrantType = null,
    string? Cursor = null,
    int? Limit = null,
    string? RegistrationSource = null) : IRequest<Page<ClientResponse>>;

public sealed class ListClientsValidator : AbstractValidator<ListClients>
{
    public ListClientsValidator()
    {
        RuleFor(x => x.ClientIdPrefix).MaximumLength(Client.MaxClientIdLength).OverridePropertyName("client_id");
        RuleFor(x => x.Search).MaximumLength(200).OverridePropertyName("search");
        RuleFor(x => x.GrantType).Must(g => g is null || GrantTypes.IsSupported(g)).OverridePropertyName("grant_type")
            .WithMessage($"grant_type must be one of: {string.Join(", ", GrantTypes.Supported)}.");
        RuleFor(x => x.RegistrationSource).Must(s => s is null || ClientResponse.ParseRegistrationSource(s) is not null).OverridePropertyName("registration_source")
            .WithMessage("registration_source must be static or dynamic.");
    }
}

public sealed class ListClientsHandler(IClientRepository clients, IPageCursors cursors, TimeProvider clock)
    : IRequestHandler<ListClients, Page<ClientResponse>>
{
    public async Task<Page<ClientResponse>> Handle(ListClients request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("clients", request.Cursor, request.Limit, cursors);
        var filter = new ClientListFilter(Blank(request.ClientIdPrefix), Blank(request.Search), request.Enabled, request.GrantType,
            request.RegistrationSource is null ? null : ClientResponse.ParseRegistrationSource(request.RegistrationSource));
        var rows = await clients.ListAsync(filter, page.After, page.Limit + 1, cancellationToken);
        var now = clock.GetUtcNow();
        return page.ToPage(rows, c => c.ClientId, c => ClientResponse.From(c, now), cursors);
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
