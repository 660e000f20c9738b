using System.Text.Json;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Registration.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Registration.Commands.UpdateRegisteredClient;

/// <summary>
/// RFC 7592 §2.2: the client replaces its metadata. The body carries every member (omitted ones take their defaults,
/// as at registration); <c>client_id</c> must be the client's own and a <c>client_secret</c>, if sent, its current one.
/// The registration access token rotates: the answer carries the new one and the old one stops working.
/// </summary>
public sealed record UpdateRegisteredClient(string ClientId, string? RegistrationAccessToken, JsonElement Body)
    : IRequest<ProtocolResult<ClientRegistrationResponse>>
{
    /// <summary>Never prints the registration access token or the body (it may carry the client secret).</summary>
    public override string ToString() => $"UpdateRegisteredClient {{ ClientId = {ClientId}, RegistrationAccessToken = *** }}";
}

public sealed class UpdateRegisteredClientHandler(
    IClientRepository clients, IUnitOfWork unitOfWork, IIssuerProvider issuer, IOptions<RegistrationOptions> options, TimeProvider clock)
    : IRequestHandler<UpdateRegisteredClient, ProtocolResult<ClientRegistrationResponse>>
{
    public async Task<ProtocolResult<ClientRegistrationResponse>> Handle(UpdateRegisteredClient request, CancellationToken cancellationToken)
    {
        if (await RegistrationAccess.AuthorizeAsync(clients, request.ClientId, request.RegistrationAccessToken, cancellationToken) is not { } client)
        {
            return OAuthError.InvalidRegistrationAccessToken;
        }

        var parsed = RegistrationRequest.Parse(request.Body);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        if (!string.Equals(parsed.Value.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            return OAuthError.RegistrationClientIdMismatch;
        }

        if (parsed.Value.ClientSecret is { } sent && !client.Secrets.Any(s => s.IsValidAt(clock.GetUtcNow()) && s.Hash.Matches(sent)))
        {
            return OAuthError.RegistrationClientSecretMismatch;
        }

        var metadata = parsed.Value.ApplyPolicy(options.Value);
        if (!metadata.IsSuccess)
        {
            return metadata.Error;
        }

        if (parsed.Value.CheckLists() is { } listError)
        {
            return listError;
        }

        var registrationAccessToken = OpaqueToken.New();
        try
        {
            // require_mfa is the operator's policy, not client metadata: the client's own update keeps it (docs/adr/0032).
            var settings = metadata.Value.ToSettings(client.ClientId) with { RequireMfa = client.RequireMfa };
            client.ReplaceRegistration(settings, SecretHash.Compute(registrationAccessToken), clock.GetUtcNow());
        }
        catch (DomainRuleViolationException violation)
        {
            return RegistrationRequest.ErrorFor(violation);
        }

        // A concurrent update (or use of the old token) loses at the client's version and must start again.
        return await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved
            ? ClientRegistrationResponse.From(client, issuer, registrationAccessToken: registrationAccessToken)
            : OAuthError.ConcurrentChange;
    }
}
