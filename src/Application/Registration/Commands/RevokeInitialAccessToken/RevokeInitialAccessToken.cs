using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Registration.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Registration;
using MediatR;

namespace AuthService.Application.Registration.Commands.RevokeInitialAccessToken;

/// <summary>Stops an initial access token at once; clients it registered stay. Revoking a revoked token changes nothing.</summary>
public sealed record RevokeInitialAccessToken(Guid Id) : IRequest<InitialAccessTokenResponse>;

public sealed class RevokeInitialAccessTokenHandler(IInitialAccessTokenRepository tokens, IUnitOfWork unitOfWork, IAuditTrail audit, TimeProvider clock)
    : IRequestHandler<RevokeInitialAccessToken, InitialAccessTokenResponse>
{
    public async Task<InitialAccessTokenResponse> Handle(RevokeInitialAccessToken request, CancellationToken cancellationToken)
    {
        var token = await tokens.FindByIdAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Initial access token", request.Id.ToString());
        var now = clock.GetUtcNow();
        if (token.Revoke(now))
        {
            audit.Record(new AuditRecord("initial_access_token.revoked", "initial_access_token", token.Id.ToString()));
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return InitialAccessTokenResponse.From(token, now);
    }
}
