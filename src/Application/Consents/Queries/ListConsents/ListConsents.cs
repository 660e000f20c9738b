using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Domain.Consents;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Consents.Queries.ListConsents;

/// <summary>All consents, or those of a user, to a client, or of a user to a client; paged by (user id, client id) like every admin list.</summary>
public sealed record ListConsents(string? UserId, string? ClientId, string? Cursor = null, int? Limit = null) : IRequest<Page<ConsentResponse>>;

public sealed class ListConsentsValidator : AbstractValidator<ListConsents>
{
    public ListConsentsValidator()
    {
        RuleFor(q => q.UserId).MustBeUserId();
        RuleFor(q => q.ClientId).MustBeClientId();
    }
}

public sealed class ListConsentsHandler(IConsentRepository consents, IPageCursors cursors) : IRequestHandler<ListConsents, Page<ConsentResponse>>
{
    public async Task<Page<ConsentResponse>> Handle(ListConsents request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("consents", request.Cursor, request.Limit, cursors);
        var rows = await consents.ListAsync(
            request.UserId is null ? null : Guid.Parse(request.UserId), request.ClientId, After(page.After), page.Limit + 1, cancellationToken);
        return page.ToPage(rows, KeyOf, ConsentResponse.From, cursors);
    }

    // The cursor's key: the user id in its fixed 36-character form, a slash, then the client id (which may hold anything).
    private static string KeyOf(Consent consent) => $"{consent.UserId:D}/{consent.ClientId}";

    private static (Guid UserId, string ClientId)? After(string? key) =>
        key is null ? null : (Guid.ParseExact(key[..36], "D"), key[37..]);
}
