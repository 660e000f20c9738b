using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Clients.Commands.UpdateClient;

/// <summary>
/// Replaces a client's settings (RFC 7592 §2.2 semantics: absent members take their defaults). Secrets are
/// not touched, so the type cannot change (none to a secret method or back: 400). The acting admin client
/// may not remove its own <c>admin</c> scope (403).
/// </summary>
public sealed record UpdateClient(string ClientId, ClientMetadata Metadata, int? ExpectedVersion, string ActorClientId)
    : IRequest<ClientResult>, IClientMetadataRequest;

public sealed class UpdateClientHandler(IClientRepository clients, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UpdateClient, ClientResult>
{
    public const string AdminScope = "admin";

    public async Task<ClientResult> Handle(UpdateClient request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        Concurrency.Check(client.Version, request.ExpectedVersion);
        var settings = request.Metadata.ToSettings(request.ClientId);
        if (request.ActorClientId == client.ClientId && !settings.AllowedScopes.Contains(AdminScope, StringComparer.Ordinal))
        {
            throw new ForbiddenOperationException("An admin client cannot remove the admin scope from itself.");
        }

        var now = clock.GetUtcNow();
        if (client.UpdateSettings(settings, now))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return new ClientResult(ClientResponse.From(client, now), client.Version);
    }
}

public sealed class UpdateClientValidator : AbstractValidator<UpdateClient>
{
    public UpdateClientValidator()
    {
        Include(new ClientMetadataRules<UpdateClient>());

        // The body may repeat the client_id (as a GET returns it), but not name another client.
        RuleFor(x => x.Metadata.ClientId).Equal(x => x.ClientId).When(x => x.Metadata?.ClientId is not null)
            .OverridePropertyName("client_id").WithMessage("client_id in the body must match the client_id of the path; a client cannot be renamed.");
    }
}
