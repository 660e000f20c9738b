using AuthService.Application.Email.Commands.PurgeEndedEmailTokens;
using AuthService.Application.Outbox.Commands.PurgeSettledOutbox;
using AuthService.Application.Registration.Commands.PurgeInactiveClients;
using AuthService.Application.Replay.Commands.PurgeUsedIdentifiers;
using AuthService.Application.Revocation.Commands.PurgeExpiredRevocations;
using AuthService.Application.SignIn.Commands.PurgeEndedGrants;
using MediatR;

namespace AuthService.Application.Jobs.Commands;

/// <summary>The work of one occurrence of the <c>revocation-purge</c> clean-up job; answers how many rows went.</summary>
public sealed record RunCleanUp : IRequest<int>;

/// <summary>
/// Deletes denylist entries of expired access tokens, then expired codes and ended refresh-token families and
/// sessions, then expired one-time identifiers (assertion and DPoP proof jtis), then dynamically registered clients
/// unused for <c>Auth:Registration:InactiveClientLifetimeDays</c>, then ended e-mail tokens and settled outbox rows older than
/// <c>Auth:Outbox:Retention</c> (docs/adr/0033, "Retention"). Every purge works in batches
/// with its own saves, so an interrupted run loses nothing: the next run continues where it stopped.
/// </summary>
public sealed class RunCleanUpHandler(IMediator mediator) : IRequestHandler<RunCleanUp, int>
{
    public async Task<int> Handle(RunCleanUp request, CancellationToken cancellationToken) =>
        await mediator.Send(new PurgeExpiredRevocations(), cancellationToken)
        + await mediator.Send(new PurgeEndedGrants(), cancellationToken)
        + await mediator.Send(new PurgeUsedIdentifiers(), cancellationToken)
        + await mediator.Send(new PurgeInactiveClients(), cancellationToken)
        + await mediator.Send(new PurgeEndedEmailTokens(), cancellationToken)
        + await mediator.Send(new PurgeSettledOutbox(), cancellationToken);
}
