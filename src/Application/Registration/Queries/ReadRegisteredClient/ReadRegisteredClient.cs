using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Registration.Common;
using AuthService.Domain.Clients;
using MediatR;

namespace AuthService.Application.Registration.Queries.ReadRegisteredClient;

/// <summary>
/// RFC 7592 §2.1: the client reads its registration with its registration access token. The secret and the token are
/// stored as hashes only, so neither is in the answer.
/// </summary>
public sealed record ReadRegisteredClient(string ClientId, string? RegistrationAccessToken) : IRequest<ProtocolResult<ClientRegistrationResponse>>
{
    /// <summary>Never prints the registration access token.</summary>
    public override string ToString() => $"ReadRegisteredClient {{ ClientId = {ClientId}, RegistrationAccessToken = *** }}";
}

public sealed class ReadRegisteredClientHandler(IClientRepository clients, IIssuerProvider issuer)
    : IRequestHandler<ReadRegisteredClient, ProtocolResult<ClientRegistrationResponse>>
{
    public async Task<ProtocolResult<ClientRegistrationResponse>> Handle(ReadRegisteredClient request, CancellationToken cancellationToken) =>
        await RegistrationAccess.AuthorizeAsync(clients, request.ClientId, request.RegistrationAccessToken, cancellationToken) is { } client
            ? ClientRegistrationResponse.From(client, issuer)
            : OAuthError.InvalidRegistrationAccessToken;
}
