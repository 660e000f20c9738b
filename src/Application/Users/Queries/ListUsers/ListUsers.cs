using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Domain.Users;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Users.Queries.ListUsers;

/// <summary>
/// Users ordered by normalized username, paged by cursor. <c>q</c> matches the start of the username or
/// e-mail address, compared in normalized form (so case and compatibility forms do not matter).
/// </summary>
public sealed record ListUsers(string? Q = null, bool? Disabled = null, bool? Locked = null, string? Cursor = null, int? Limit = null)
    : IRequest<Page<UserResponse>>;

public sealed class ListUsersValidator : AbstractValidator<ListUsers>
{
    public ListUsersValidator() =>
        RuleFor(q => q.Q)
            .MaximumLength(User.MaxEmailLength).WithMessage($"q must be at most {User.MaxEmailLength} characters.")
            .Must(q => q is null || (!q.Any(char.IsControl) && IsNormalizable(q))).WithMessage("q must be text without control characters.")
            .OverridePropertyName("q");

    /// <summary>Unpaired surrogates cannot be normalized (string.Normalize throws).</summary>
    private static bool IsNormalizable(string value)
    {
        try
        {
            _ = User.Normalize(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

public sealed class ListUsersHandler(IUserRepository users, IPageCursors cursors, TimeProvider clock) : IRequestHandler<ListUsers, Page<UserResponse>>
{
    public async Task<Page<UserResponse>> Handle(ListUsers request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("users", request.Cursor, request.Limit, cursors);
        var now = clock.GetUtcNow();
        var filter = new UserFilter(string.IsNullOrEmpty(request.Q) ? null : User.Normalize(request.Q), request.Disabled, request.Locked, now);
        var rows = await users.ListAsync(filter, page.After, page.Limit + 1, cancellationToken);
        return page.ToPage(rows, u => u.NormalizedUsername, u => UserResponse.From(u, now), cursors);
    }
}
