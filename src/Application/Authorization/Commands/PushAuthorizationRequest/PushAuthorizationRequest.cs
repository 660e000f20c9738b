using System.Text.Json.Serialization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.PushedAuthorizationRequests;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Authorization.Commands.PushAuthorizationRequest;

/// <summary>A pushed authorization request (RFC 9126 §2.1): the authorization request's parameters, posted by the client.</summary>
/// <param name="DPoP">The request's DPoP headers (RFC 9449 §10.1): a proof binds the code to its key, as <c>dpop_jkt</c> would.</param>
public sealed record PushAuthorizationRequest(
    ClientCredentials Credentials, IReadOnlyDictionary<string, string> Parameters, string? RemoteAddress, DPoPPresentation? DPoP = null)
    : IRequest<ProtocolResult<PushedAuthorizationResponse>>
{
    /// <summary>Never prints the parameters (a client secret may be among them).</summary>
    public override string ToString() => $"PushAuthorizationRequest {{ Credentials = {Credentials} }}";
}

/// <summary>RFC 9126 §2.2: the 201 response.</summary>
public sealed record PushedAuthorizationResponse(
    [property: JsonPropertyName("request_uri")] string RequestUri,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>
/// RFC 9126 §2: authenticates the client as the token endpoint does (a public client names itself with client_id),
/// refuses a <c>request_uri</c> (§2.1), reads a request object when there is one (§3; its parameters replace the
/// others), turns a DPoP proof into the request's <c>dpop_jkt</c> (RFC 9449 §10.1), and validates the request exactly as
/// the authorization endpoint would (the same validator). Only then
/// is it stored, under the hash of a fresh <c>request_uri</c> handle of 256 random bits, for a short time.
/// </summary>
public sealed partial class PushAuthorizationRequestHandler(
    ClientAuthenticator authenticator,
    AuthorizationRequestValidator validator,
    IRequestObjectReader requestObjects,
    IDPoPProofValidator dpopProofs,
    IPushedAuthorizationRequestRepository pushedRequests,
    IUnitOfWork unitOfWork,
    IOptions<PushedAuthorizationOptions> options,
    TimeProvider clock,
    ILogger<PushAuthorizationRequestHandler> logger) : IRequestHandler<PushAuthorizationRequest, ProtocolResult<PushedAuthorizationResponse>>
{
    /// <summary>Client authentication parameters: read by the authenticator, never part of the stored request.</summary>
    private static readonly string[] CredentialParameters =
        [OAuthParameters.ClientSecret, OAuthParameters.ClientAssertion, OAuthParameters.ClientAssertionType];

    public async Task<ProtocolResult<PushedAuthorizationResponse>> Handle(PushAuthorizationRequest request, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateAsync(request.Credentials, request.RemoteAddress, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;
        if (request.Parameters.ContainsKey(OAuthParameters.RequestUri))
        {
            return OAuthError.RequestUriAtPushEndpoint;
        }

        var parameters = request.Parameters.Where(p => !CredentialParameters.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
        parameters[OAuthParameters.ClientId] = client.ClientId;
        if (parameters.TryGetValue(OAuthParameters.Request, out var requestObject))
        {
            var read = await requestObjects.ReadAsync(client, requestObject, cancellationToken);
            if (!read.IsSuccess)
            {
                LogRefused(logger, client.ClientId, read.Error.Code);
                return read.Error;
            }

            parameters = read.Value.ToDictionary(StringComparer.Ordinal);
        }

        var bound = await BindProofKeyAsync(request.DPoP, parameters, cancellationToken);
        if (bound is { } refused)
        {
            LogRefused(logger, client.ClientId, refused.Code);
            return refused;
        }

        var validation = await validator.ValidateAsync(parameters, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return validation switch
            {
                AuthorizationValidation.ErrorPage page => page.Error,
                AuthorizationValidation.ErrorRedirect redirect => redirect.Error,
                _ => throw new InvalidOperationException("Unhandled validation outcome."),
            };
        }

        // FAPI 2.0 Security Profile §5.3.2.2: "shall require the redirect_uri parameter in pushed authorization requests".
        if (ClientProfiles.RequiresPushedRequests(client.Profile) && !authorization.RedirectUriWasSent)
        {
            return OAuthError.PushedRequestRedirectUriRequired;
        }

        var requestUri = AuthorizationRequestResolver.RequestUriPrefix + OpaqueToken.New();
        var lifetime = ClientProfiles.PushedRequestLifetime(client.Profile, options.Value.PushedAuthorizationRequestLifetime);
        pushedRequests.Add(PushedAuthorizationRequest.Push(
            OpaqueToken.HashOf(requestUri), client.ClientId, authorization.Parameters, clock.GetUtcNow(), lifetime));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new PushedAuthorizationResponse(requestUri, (int)lifetime.TotalSeconds);
    }

    /// <summary>
    /// RFC 9449 §10.1: a DPoP header at the PAR endpoint is checked as a proof for this endpoint (§4.3) and its key's
    /// thumbprint becomes the request's <c>dpop_jkt</c>, so the code can only be redeemed with that key (§10). When the
    /// request also carries <c>dpop_jkt</c> the two must match, or the request is refused (the RFC names no error code;
    /// <c>invalid_request</c> is RFC 9126 §2.3's code for a request the server will not accept). No server nonce is asked
    /// for here: the proof only names a key, and the token request that uses the code must prove it again with a fresh
    /// proof, where a nonce is required when the deployment requires nonces.
    /// </summary>
    /// <returns>The refusal, or null when the request is unchanged or now bound to the proof's key.</returns>
    private async ValueTask<OAuthError?> BindProofKeyAsync(DPoPPresentation? presentation, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (presentation is null || presentation.IsAbsent)
        {
            return null;
        }

        var proof = await dpopProofs.ValidateAsync(presentation, accessToken: null, requireNonce: false, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        if (parameters.TryGetValue(OAuthParameters.DPoPJkt, out var dpopJkt) && !string.Equals(dpopJkt, proof.Value.Jkt, StringComparison.Ordinal))
        {
            return OAuthError.DPoPJktMismatch;
        }

        parameters[OAuthParameters.DPoPJkt] = proof.Value.Jkt;
        return null;
    }

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Security event pushed_request_refused: client {ClientId}: {Error}")]
    private static partial void LogRefused(ILogger logger, string clientId, string error);
}
