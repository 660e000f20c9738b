using AuthService.Application.Common.Paging;
using AuthService.Domain.SigningKeys;
using FluentValidation;
using MediatR;

namespace AuthService.Application.SigningKeys.Queries.ListSigningKeys;

/// <summary>
/// Every signing key, newest first, optionally only those in one state. Not paged: a key is made per
/// algorithm and rotation period, so the list stays short; the page envelope is kept for consistency.
/// </summary>
public sealed record ListSigningKeys(string? State = null) : IRequest<Page<SigningKeyResponse>>;

public sealed class ListSigningKeysValidator : AbstractValidator<ListSigningKeys>
{
    public ListSigningKeysValidator() =>
        RuleFor(q => q.State)
            .Must(state => state is null || SigningKeyResponse.ParseState(state) is not null)
            .OverridePropertyName("state")
            .WithMessage("state must be one of pending, active, retired, removed, revoked.");
}

public sealed class ListSigningKeysHandler(ISigningKeyRepository keys) : IRequestHandler<ListSigningKeys, Page<SigningKeyResponse>>
{
    public async Task<Page<SigningKeyResponse>> Handle(ListSigningKeys request, CancellationToken cancellationToken)
    {
        var rows = await keys.ListAsync(SigningKeyResponse.ParseState(request.State), cancellationToken);
        return new Page<SigningKeyResponse>(
            [.. rows.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).Select(SigningKeyResponse.From)],
            NextCursor: null);
    }
}
