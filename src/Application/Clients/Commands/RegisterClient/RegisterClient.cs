using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Clients.Commands.RegisterClient;

/// <summary>
/// Registers a client (RFC 7591 metadata). Without a client_id the server generates one (256 random bits,
/// base64url). A client of a secret method gets a generated 256-bit secret, returned once and stored as a
/// hash (and, for client_secret_jwt, encrypted: docs/adr/0005); key and mTLS methods get none.
/// </summary>
public sealed record RegisterClient(ClientMetadata Metadata) : IRequest<RegisteredClient>, IClientMetadataRequest;

/// <summary>The registration response and the client's version (its <c>ETag</c>).</summary>
public sealed record RegisteredClient(RegisteredClientResponse Client, int Version);

public sealed class RegisterClientHandler(IClientRepository clients, IUnitOfWork unitOfWork, IClientSecretProtector protector, TimeProvider clock)
    : IRequestHandler<RegisterClient, RegisteredClient>
{
    public async Task<RegisteredClient> Handle(RegisterClient request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var clientId = request.Metadata.ClientId ?? OpaqueToken.New();
        var settings = request.Metadata.ToSettings(clientId);
        var secret = TokenEndpointAuthMethods.UsesSecret(settings.TokenEndpointAuthMethod) ? OpaqueToken.New() : null;
        var stored = secret is null ? null : NewClientSecret.For(clientId, settings.TokenEndpointAuthMethod, secret, protector);

        // Every rule is checked before the store is asked, so bad input is a 400 whatever exists.
        var client = Client.Register(clientId, settings, stored?.Hash, now, stored?.Protected);
        if (await clients.FindByClientIdAsync(clientId, cancellationToken) is not null)
        {
            throw new ConflictException(SaveResult.UniquenessConflict);
        }

        // A concurrent registration of the same id loses at the primary key: the unit of work turns it into
        // SaveResult.UniquenessConflict (409), and the client and its secret are written together or not at all.
        clients.Add(client);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new RegisteredClient(new RegisteredClientResponse(ClientResponse.From(client, now), secret), client.Version);
    }
}

public sealed class RegisterClientValidator : FluentValidation.AbstractValidator<RegisterClient>
{
    public RegisterClientValidator() => Include(new ClientMetadataRules<RegisterClient>());
}
