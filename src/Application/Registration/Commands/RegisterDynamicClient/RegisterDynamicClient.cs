using System.Text.Json;
using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Registration.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Registration;
using MediatR;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Registration.Commands.RegisterDynamicClient;

/// <summary>
/// RFC 7591 §3: a client registers itself. <paramref name="InitialAccessToken"/> is the bearer token of the request,
/// if any (RFC 7591 §3, policy <c>initial_access_token</c>).
/// </summary>
public sealed record RegisterDynamicClient(JsonElement Body, string? InitialAccessToken) : IRequest<ProtocolResult<ClientRegistrationResponse>>
{
    /// <summary>Never prints the initial access token.</summary>
    public override string ToString() => "RegisterDynamicClient { InitialAccessToken = *** }";
}

public sealed class RegisterDynamicClientHandler(
    IClientRepository clients,
    IInitialAccessTokenRepository initialAccessTokens,
    IUnitOfWork unitOfWork,
    IIssuerProvider issuer,
    IOptions<RegistrationOptions> options,
    TimeProvider clock) : IRequestHandler<RegisterDynamicClient, ProtocolResult<ClientRegistrationResponse>>
{
    public async Task<ProtocolResult<ClientRegistrationResponse>> Handle(RegisterDynamicClient request, CancellationToken cancellationToken)
    {
        var policy = options.Value;
        var now = clock.GetUtcNow();
        if (!policy.IsEnabled)
        {
            return OAuthError.RegistrationClosed;
        }

        // RFC 7591 §3: with an initial access token required, nothing else is looked at without a usable one.
        InitialAccessToken? initialAccessToken = null;
        if (policy.Policy == RegistrationOptions.InitialAccessToken)
        {
            initialAccessToken = request.InitialAccessToken is { Length: > 0 } presented
                ? await initialAccessTokens.FindByHashAsync(OpaqueToken.HashOf(presented), cancellationToken)
                : null;
            if (initialAccessToken is null || !initialAccessToken.IsUsableAt(now))
            {
                return OAuthError.InvalidInitialAccessToken;
            }
        }

        var parsed = RegistrationRequest.Parse(request.Body);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        var metadata = parsed.Value.ApplyPolicy(policy);
        if (!metadata.IsSuccess)
        {
            return metadata.Error;
        }

        if (parsed.Value.CheckLists() is { } listError)
        {
            return listError;
        }

        var clientId = OpaqueToken.New();
        var settings = metadata.Value.ToSettings(clientId);
        var secret = TokenEndpointAuthMethods.UsesSecret(settings.TokenEndpointAuthMethod) ? OpaqueToken.New() : null;
        var registrationAccessToken = OpaqueToken.New();
        Client client;
        try
        {
            client = Client.RegisterDynamically(clientId, settings, secret is null ? null : SecretHash.Compute(secret), SecretHash.Compute(registrationAccessToken), now);
        }
        catch (DomainRuleViolationException violation)
        {
            return RegistrationRequest.ErrorFor(violation);
        }

        // The use of the initial access token is counted in the same save: a token used up concurrently loses at its version.
        initialAccessToken?.Use(now);
        clients.Add(client);
        var saved = await unitOfWork.SaveChangesAsync(cancellationToken);
        if (saved != SaveResult.Saved)
        {
            return initialAccessToken is null ? OAuthError.ConcurrentChange : OAuthError.InvalidInitialAccessToken;
        }

        return ClientRegistrationResponse.From(client, issuer, secret, registrationAccessToken);
    }
}
