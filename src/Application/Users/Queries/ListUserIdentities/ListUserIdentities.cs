using AuthService.Application.Common.Paging;
using AuthService.Application.Federation.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Queries.ListUserIdentities;

/// <summary>
/// The upstream identities linked to a user (docs/adr/0037), in the order they were linked; 404 for an unknown user. Not
/// paged: an account has a link per provider at most in practice; the envelope is the usual one, with no next cursor.
/// </summary>
public sealed record ListUserIdentities(Guid UserId) : IRequest<Page<LinkedIdentity>>;

public sealed class ListUserIdentitiesHandler(IUserRepository users, LinkedIdentities linked) : IRequestHandler<ListUserIdentities, Page<LinkedIdentity>>
{
    public async Task<Page<LinkedIdentity>> Handle(ListUserIdentities request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.UserId, cancellationToken);
        return new Page<LinkedIdentity>(await linked.ListAsync(user.Id, cancellationToken), NextCursor: null);
    }
}
