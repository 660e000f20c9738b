using AuthService.Application.SigningKeys.Commands.EnsureSigningKeys;
using AuthService.Application.SigningKeys.Commands.RotateSigningKeys;
using MediatR;

namespace AuthService.Application.Jobs.Commands;

/// <summary>The work of one occurrence of the <c>signing-key-rotation</c> job (docs/adr/0011, 0015).</summary>
public sealed record RunSigningKeyMaintenance : IRequest<Unit>;

/// <summary>
/// First makes sure every algorithm has a signing key (recovering from an emergency revocation), then rotates
/// what is due. Each step is its own use case with its own save, so a failed rotation never undoes a recovery.
/// </summary>
public sealed class RunSigningKeyMaintenanceHandler(IMediator mediator) : IRequestHandler<RunSigningKeyMaintenance, Unit>
{
    public async Task<Unit> Handle(RunSigningKeyMaintenance request, CancellationToken cancellationToken)
    {
        await mediator.Send(new EnsureSigningKeys(), cancellationToken);
        return await mediator.Send(new RotateSigningKeys(), cancellationToken);
    }
}
