using AuthService.Application.Common.Paging;
using AuthService.Application.Registration.Common;
using AuthService.Domain.Registration;
using MediatR;

namespace AuthService.Application.Registration.Queries.ListInitialAccessTokens;

/// <summary>The initial access tokens not yet expired (revoked and used-up ones included), newest first, in one page.</summary>
public sealed record ListInitialAccessTokens : IRequest<Page<InitialAccessTokenResponse>>;

public sealed class ListInitialAccessTokensHandler(IInitialAccessTokenRepository tokens, TimeProvider clock)
    : IRequestHandler<ListInitialAccessTokens, Page<InitialAccessTokenResponse>>
{
    public async Task<Page<InitialAccessTokenResponse>> Handle(ListInitialAccessTokens request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return new Page<InitialAccessTokenResponse>([.. (await tokens.ListCurrentAsync(now, cancellationToken)).Select(t => InitialAccessTokenResponse.From(t, now))], null);
    }
}
