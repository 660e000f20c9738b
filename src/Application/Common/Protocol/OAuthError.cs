using AuthService.Application.Authorization;
using AuthService.Domain.Clients;

namespace AuthService.Application.Common.Protocol;

/// <summary>
/// An expected protocol failure (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; OIDC Core §3.1.2.6), carried as a
/// value. The catalogue is closed: every error the server can answer is one of the entries below, with a
/// fixed description that never echoes input and never tells whether a client or a user exists (an unknown
/// client, a disabled one and a wrong redirect URI read alike; so do a wrong, expired and used code).
/// </summary>
public sealed record OAuthError
{
    private OAuthError(string code, string description)
    {
        Code = code;
        Description = description;
    }

    /// <summary>The RFC error code: the <c>error</c> value on the wire.</summary>
    public string Code { get; }

    /// <summary>The <c>error_description</c>: fixed per entry, within the RFC 6749 §5.2 character set.</summary>
    public string Description { get; }

    /// <summary>Set when the caller should back off (client authentication throttling): mapped to 429 + Retry-After.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    // invalid_request: the request itself is malformed (RFC 6749 §5.2).
    public static readonly OAuthError RequestMustBePost =
        new(OAuthErrorCodes.InvalidRequest, "The request must use POST.");

    public static readonly OAuthError RequestMustBeFormEncoded =
        new(OAuthErrorCodes.InvalidRequest, "The request body must be application/x-www-form-urlencoded.");

    public static readonly OAuthError RequestBodyTooLarge =
        new(OAuthErrorCodes.InvalidRequest, "The request body is too large.");

    public static readonly OAuthError RequestBodyUnreadable =
        new(OAuthErrorCodes.InvalidRequest, "The request body could not be read as a form within the size limits.");

    public static readonly OAuthError RequestTooLarge =
        new(OAuthErrorCodes.InvalidRequest, "The request is too large.");

    public static readonly OAuthError RepeatedParameter =
        new(OAuthErrorCodes.InvalidRequest, "A parameter is included more than once.");

    public static readonly OAuthError RequestInvalid =
        new(OAuthErrorCodes.InvalidRequest, "The request is invalid.");

    public static readonly OAuthError RequestUnreadable =
        new(OAuthErrorCodes.InvalidRequest, "The request could not be read.");

    public static readonly OAuthError ConcurrentChange =
        new(OAuthErrorCodes.InvalidRequest, "The request conflicts with a concurrent change.");

    public static readonly OAuthError CredentialsInUrl =
        new(OAuthErrorCodes.InvalidRequest, "Client credentials must not be sent in the URL.");

    public static readonly OAuthError RepeatedAuthorizationHeader =
        new(OAuthErrorCodes.InvalidRequest, "The Authorization header is included more than once.");

    public static readonly OAuthError MultipleAuthenticationMethods =
        new(OAuthErrorCodes.InvalidRequest, "The request uses more than one client authentication method.");

    /// <summary>RFC 7521 §4.2: client_assertion and client_assertion_type are both required when either is sent.</summary>
    public static readonly OAuthError IncompleteClientAssertion =
        new(OAuthErrorCodes.InvalidRequest, "client_assertion and client_assertion_type must be sent together.");

    public static readonly OAuthError ClientIdMismatch =
        new(OAuthErrorCodes.InvalidRequest, "The client_id in the body does not match the authenticated client.");

    public static readonly OAuthError MissingGrantType =
        new(OAuthErrorCodes.InvalidRequest, "The grant_type parameter is required.");

    public static readonly OAuthError MissingCode =
        new(OAuthErrorCodes.InvalidRequest, "The code parameter is required.");

    public static readonly OAuthError MissingDeviceCode =
        new(OAuthErrorCodes.InvalidRequest, "The device_code parameter is required.");

    public static readonly OAuthError MissingRefreshToken =
        new(OAuthErrorCodes.InvalidRequest, "The refresh_token parameter is required.");

    public static readonly OAuthError MissingToken =
        new(OAuthErrorCodes.InvalidRequest, "The token parameter is required.");

    // invalid_request at the authorization endpoint, shown on this server's page (RFC 6749 §4.1.2.1).
    public static readonly OAuthError MissingClientId =
        new(OAuthErrorCodes.InvalidRequest, "The client_id parameter is required.");

    /// <summary>
    /// An unknown or disabled client, or a redirect URI that is missing where required or not registered:
    /// one answer, so the page does not tell which client ids exist (RFC 6749 §10.6).
    /// </summary>
    public static readonly OAuthError UnknownClientOrRedirectUri =
        new(OAuthErrorCodes.InvalidRequest, "The client_id is unknown or disabled, or the redirect_uri required for it is missing or not registered.");

    public static readonly OAuthError ConsentDecisionMissing =
        new(OAuthErrorCodes.InvalidRequest, "Choose Allow or Deny.");

    public static readonly OAuthError FormExpired =
        new(OAuthErrorCodes.InvalidRequest, "The form has expired or did not come from this site. Go back and try again.");

    // invalid_request at the authorization endpoint, redirected to the client (RFC 6749 §4.1.2.1).
    public static readonly OAuthError StateTooLong =
        new(OAuthErrorCodes.InvalidRequest, $"The state parameter must be at most {AuthorizationParameters.MaxStateLength} characters.");

    public static readonly OAuthError UnsupportedResponseMode =
        new(OAuthErrorCodes.InvalidRequest, "The response_mode must be query or form_post.");

    public static readonly OAuthError MissingResponseType =
        new(OAuthErrorCodes.InvalidRequest, "The response_type parameter is required.");

    public static readonly OAuthError MissingCodeChallenge =
        new(OAuthErrorCodes.InvalidRequest, "code_challenge is required (PKCE with S256).");

    public static readonly OAuthError CodeChallengeMethodNotS256 =
        new(OAuthErrorCodes.InvalidRequest, "code_challenge_method must be S256.");

    public static readonly OAuthError MalformedCodeChallenge =
        new(OAuthErrorCodes.InvalidRequest, "code_challenge must be 43 base64url characters.");

    public static readonly OAuthError NonceTooLong =
        new(OAuthErrorCodes.InvalidRequest, $"The nonce parameter must be at most {AuthorizationParameters.MaxNonceLength} characters.");

    public static readonly OAuthError InvalidPrompt =
        new(OAuthErrorCodes.InvalidRequest, "prompt must be none, or any of login, consent and select_account.");

    public static readonly OAuthError InvalidMaxAge =
        new(OAuthErrorCodes.InvalidRequest, "max_age must be a non-negative number of seconds.");

    public static readonly OAuthError InvalidClaimsParameter =
        new(OAuthErrorCodes.InvalidRequest, $"The claims parameter must be a JSON object of at most {AuthorizationParameters.MaxClaimsLength} characters, as OpenID Connect Core 1.0 section 5.5 describes.");

    // invalid_request at the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0 §2, §3).
    public static readonly OAuthError InvalidIdTokenHint =
        new(OAuthErrorCodes.InvalidRequest, "The id_token_hint is not an ID token issued by this server.");

    public static readonly OAuthError IdTokenHintClientMismatch =
        new(OAuthErrorCodes.InvalidRequest, "client_id does not match the id_token_hint.");

    public static readonly OAuthError UnregisteredPostLogoutRedirectUri =
        new(OAuthErrorCodes.InvalidRequest, "The post_logout_redirect_uri is not registered for the client.");

    // invalid_client (RFC 6749 §5.2): one description whatever failed, so it tells nothing about the client.
    public static readonly OAuthError InvalidClient =
        new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");

    /// <summary>invalid_client with a back-off (OAuth 2.1 §2.4.1: brute force on client secrets is throttled).</summary>
    public static OAuthError ClientAuthenticationThrottled(TimeSpan retryAfter) =>
        new(OAuthErrorCodes.InvalidClient, "Too many failed client authentication attempts; retry later.") { RetryAfter = retryAfter };

    // invalid_grant (RFC 6749 §5.2): whatever is wrong with the grant reads the same.
    public static readonly OAuthError InvalidAuthorizationCode =
        new(OAuthErrorCodes.InvalidGrant, "The authorization code is invalid, expired or already used, or was issued to another client.");

    /// <summary>Unknown, expired long ago, another client's, or already redeemed: one answer (RFC 8628 §3.5, RFC 6749 §5.2).</summary>
    public static readonly OAuthError InvalidDeviceCode =
        new(OAuthErrorCodes.InvalidGrant, "The device code is invalid or already used, or was issued to another client.");

    public static readonly OAuthError InvalidRefreshToken =
        new(OAuthErrorCodes.InvalidGrant, "The refresh token is invalid, expired or revoked.");

    // unauthorized_client (RFC 6749 §4.1.2.1, §5.2; RFC 7009 §2.1).
    public static readonly OAuthError UnauthorizedClient =
        new(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use this grant type.");

    public static readonly OAuthError CodeFlowNotAllowed =
        new(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use the authorization code flow.");

    public static readonly OAuthError TokenOfAnotherClient =
        new(OAuthErrorCodes.UnauthorizedClient, "The token was not issued to this client.");

    // unsupported_grant_type, unsupported_response_type (RFC 6749 §5.2, §4.1.2.1).
    public static readonly OAuthError UnsupportedGrantType =
        new(OAuthErrorCodes.UnsupportedGrantType, "The grant type is not supported.");

    public static readonly OAuthError UnsupportedResponseType =
        new(OAuthErrorCodes.UnsupportedResponseType, "Only response_type=code is supported.");

    // invalid_scope (RFC 6749 §3.3, §5.2).
    public static readonly OAuthError ScopeTooLong =
        new(OAuthErrorCodes.InvalidScope, $"The scope parameter must be at most {ScopeSet.MaxParameterLength} characters.");

    public static readonly OAuthError MalformedScope =
        new(OAuthErrorCodes.InvalidScope, "The scope parameter is malformed.");

    public static readonly OAuthError TooManyScopes =
        new(OAuthErrorCodes.InvalidScope, $"At most {ScopeRules.MaxScopes} scopes may be requested.");

    public static readonly OAuthError MissingScope =
        new(OAuthErrorCodes.InvalidScope, "The scope parameter is required.");

    public static readonly OAuthError ScopeNotAllowed =
        new(OAuthErrorCodes.InvalidScope, "A requested scope is not allowed for this client.");

    public static readonly OAuthError IdentityScopeWithoutUser =
        new(OAuthErrorCodes.InvalidScope, "Identity scopes cannot be granted without a user.");

    /// <summary>The client requires two factors (require_mfa, docs/adr/0032) and the grant was made with one.</summary>
    public static readonly OAuthError GrantBelowClientMfaPolicy =
        new(OAuthErrorCodes.InvalidGrant, "The client requires two-factor sign-in and this grant was made with one; sign in again.");

    public static readonly OAuthError ScopeExceedsGrant =
        new(OAuthErrorCodes.InvalidScope, "The requested scope exceeds the scope originally granted.");

    // Token exchange (RFC 8693 §2.2.2): a missing, unsupported, invalid or unacceptable subject or actor token is invalid_request.
    public static readonly OAuthError MissingSubjectToken =
        new(OAuthErrorCodes.InvalidRequest, "subject_token and subject_token_type are required.");

    public static readonly OAuthError UnsupportedSubjectTokenType =
        new(OAuthErrorCodes.InvalidRequest,
            "subject_token_type must be urn:ietf:params:oauth:token-type:access_token, refresh_token, id_token or jwt.");

    public static readonly OAuthError ActorTokenTypeMismatch =
        new(OAuthErrorCodes.InvalidRequest, "actor_token_type is required with actor_token and must not be sent without it.");

    public static readonly OAuthError UnsupportedActorTokenType =
        new(OAuthErrorCodes.InvalidRequest, "actor_token_type must be urn:ietf:params:oauth:token-type:access_token.");

    public static readonly OAuthError UnsupportedRequestedTokenType =
        new(OAuthErrorCodes.InvalidRequest, "requested_token_type must be urn:ietf:params:oauth:token-type:access_token.");

    /// <summary>Invalid, expired, revoked or sender-constrained: one answer, so it does not tell which.</summary>
    public static readonly OAuthError InvalidSubjectToken =
        new(OAuthErrorCodes.InvalidRequest, "The subject_token is invalid, expired or revoked.");

    public static readonly OAuthError InvalidActorToken =
        new(OAuthErrorCodes.InvalidRequest, "The actor_token is invalid, expired or revoked.");

    public static readonly OAuthError ImpersonationNotAllowed =
        new(OAuthErrorCodes.InvalidRequest, "An actor_token is required: impersonation is not allowed for this client.");

    public static readonly OAuthError SubjectClientNotAllowed =
        new(OAuthErrorCodes.InvalidRequest, "This client may not exchange tokens issued to the subject token's client or issuer.");

    public static readonly OAuthError ExchangeTargetNotAllowed =
        new(OAuthErrorCodes.InvalidTarget, "The client's token exchange policy does not allow a requested resource or audience.");

    public static readonly OAuthError ActorNotAllowed =
        new(OAuthErrorCodes.InvalidRequest, "The actor is not allowed to act for the subject (may_act).");

    public static readonly OAuthError ActorChainTooLong =
        new(OAuthErrorCodes.InvalidRequest, "The delegation chain is too long.");

    // invalid_target (RFC 8707 §2): a resource indicator that is malformed, unknown or not acceptable.
    public static readonly OAuthError MalformedResource =
        new(OAuthErrorCodes.InvalidTarget, "Each resource must be an absolute https URI (http only for loopback hosts) without a fragment.");

    public static readonly OAuthError TooManyResources =
        new(OAuthErrorCodes.InvalidTarget, $"At most {Resources.ResourceIndicators.MaxResources} resources may be requested.");

    /// <summary>Unknown, disabled or not allowed for the client: one answer, so it does not tell which resources exist.</summary>
    public static readonly OAuthError ResourceNotAllowed =
        new(OAuthErrorCodes.InvalidTarget, "A requested resource is unknown, disabled or not allowed for this client.");

    /// <summary>RFC 8707 §2.2: at the token endpoint, only resources of the original grant.</summary>
    public static readonly OAuthError ResourceNotInGrant =
        new(OAuthErrorCodes.InvalidTarget, "A requested resource was not part of the original grant.");

    public static readonly OAuthError ResourceScopeMismatch =
        new(OAuthErrorCodes.InvalidTarget, "Each requested resource must be granted at least one of its scopes.");

    public static readonly OAuthError ResourcesNotCombinable =
        new(OAuthErrorCodes.InvalidTarget, "The requested resources require different token signing algorithms; request a token for each.");

    // The authorization endpoint's outcomes that are not malformed requests (RFC 6749 §4.1.2.1; OIDC Core §3.1.2.6).
    public static readonly OAuthError AccessDenied =
        new(OAuthErrorCodes.AccessDenied, "The user denied the request.");

    public static readonly OAuthError LoginRequired =
        new(OAuthErrorCodes.LoginRequired, "The user must sign in.");

    public static readonly OAuthError ConsentRequired =
        new(OAuthErrorCodes.ConsentRequired, "The user must consent.");

    public static readonly OAuthError UnmetAuthenticationRequirements =
        new(OAuthErrorCodes.UnmetAuthenticationRequirements, "The requested authentication context cannot be met for this user.");

    public static readonly OAuthError SecondFactorRequired =
        new(OAuthErrorCodes.InteractionRequired, "The user must confirm the sign-in with a second factor.");

    // The tenant in tokens (docs/adr/0038): the tenant parameter and the choice of a tenant.
    public static readonly OAuthError MalformedTenant =
        new(OAuthErrorCodes.InvalidRequest, "The tenant parameter must be a tenant's slug: 2 to 63 lower-case letters, digits and inner hyphens.");

    public static readonly OAuthError TenantWithoutScope =
        new(OAuthErrorCodes.InvalidRequest, "The tenant parameter needs the tenant scope in the same request.");

    /// <summary>One answer for an unknown tenant, a suspended one and one the person is not a member of: nothing tells them apart.</summary>
    public static readonly OAuthError TenantNotAvailable =
        new(OAuthErrorCodes.AccessDenied, "The requested tenant is not available to this user.");

    public static readonly OAuthError TenantChoiceRequired =
        new(OAuthErrorCodes.InteractionRequired, "The user must choose a tenant.");

    public static readonly OAuthError TenantSignInMethodRequired =
        new(OAuthErrorCodes.LoginRequired, "The tenant requires the user to sign in another way.");

    public static readonly OAuthError TenantChoiceInvalid =
        new(OAuthErrorCodes.InvalidRequest, "The organisation chosen is not one you can continue with. Go back and choose again.");

    /// <summary>The device flow and token exchange choose no tenant and put none in tokens, so they do not grant the scope.</summary>
    public static readonly OAuthError TenantScopeNotOffered =
        new(OAuthErrorCodes.InvalidScope, "The tenant scope is granted only at the authorization endpoint (the code flow).");

    public static readonly OAuthError TenantGrantEnded =
        new(OAuthErrorCodes.InvalidGrant, "The grant's tenant membership has ended or the tenant is suspended.");

    public static readonly OAuthError RequestNotSupported =
        new(OAuthErrorCodes.RequestNotSupported, "Request objects are not supported.");

    public static readonly OAuthError RequestUriNotSupported =
        new(OAuthErrorCodes.RequestUriNotSupported, "The request_uri parameter is not supported.");

    // Pushed authorization requests (RFC 9126) and request objects (RFC 9101 §6.2), at the authorization and PAR endpoints.
    public static readonly OAuthError RequestUriNotPushed =
        new(OAuthErrorCodes.InvalidRequestUri, "Only a request_uri issued by the pushed authorization request endpoint of this server is accepted.");

    /// <summary>Unknown, expired, used or another client's: one answer, so the page does not tell which (RFC 9126 §4).</summary>
    public static readonly OAuthError RequestUriInvalid =
        new(OAuthErrorCodes.InvalidRequestUri, "The request_uri is unknown, expired or already used, or was issued to another client.");

    public static readonly OAuthError RequestUriAtPushEndpoint =
        new(OAuthErrorCodes.InvalidRequest, "The request_uri parameter is not allowed in a pushed authorization request.");

    public static readonly OAuthError RequestAndRequestUri =
        new(OAuthErrorCodes.InvalidRequest, "The request and request_uri parameters must not be used together.");

    public static readonly OAuthError PushedRequestRequired =
        new(OAuthErrorCodes.InvalidRequest, "This authorization request must be pushed to the pushed authorization request endpoint first.");

    /// <summary>FAPI 2.0 Security Profile §5.3.2.2: a fapi2 client's pushed request names its redirect URI.</summary>
    public static readonly OAuthError PushedRequestRedirectUriRequired =
        new(OAuthErrorCodes.InvalidRequest, "This client must send the redirect_uri parameter in its pushed authorization request.");

    public static readonly OAuthError SealedRequestInvalid =
        new(OAuthErrorCodes.InvalidRequest, "The authorization request has expired or was altered. Start again from the application.");

    /// <summary>Unsigned, unknown key, bad signature, wrong algorithm or claims, replayed: one answer (RFC 9101 §6.2).</summary>
    public static readonly OAuthError RequestObjectInvalid =
        new(OAuthErrorCodes.InvalidRequestObject, "The request object must be a JWT signed with a registered key of the client, for this server, unexpired and used once.");

    // Bearer token errors (RFC 6750 §3.1).
    public static readonly OAuthError InvalidAccessToken =
        new(OAuthErrorCodes.InvalidToken, "The access token is missing, invalid, expired or revoked.");

    /// <summary>RFC 9449 §7.1: a DPoP-bound token is usable only with the DPoP scheme and a proof by its key, never as a bearer token.</summary>
    public static readonly OAuthError DPoPBoundTokenAsBearer =
        new(OAuthErrorCodes.InvalidToken, "The access token is bound to a DPoP key and must be presented with the DPoP scheme and a proof.");

    /// <summary>RFC 9449 §7.1: the DPoP scheme is for DPoP-bound tokens only.</summary>
    public static readonly OAuthError BearerTokenAsDPoP =
        new(OAuthErrorCodes.InvalidToken, "The access token is not bound to a DPoP key; present it with the Bearer scheme.");

    public static readonly OAuthError OpenIdScopeMissing =
        new(OAuthErrorCodes.InsufficientScope, "The access token does not carry the openid scope.");

    // DPoP (RFC 9449 §5, §7.1, §8): one description for every failed proof check, so it tells nothing about which.
    public static readonly OAuthError InvalidDPoPProof =
        new(OAuthErrorCodes.InvalidDPoPProof, "The DPoP proof is missing, invalid, expired or already used.");

    /// <summary>RFC 9449 §5.2 names no error for a client registered with dpop_bound_access_tokens that sends no proof; see docs/adr/0022.</summary>
    public static readonly OAuthError DPoPProofRequired =
        new(OAuthErrorCodes.InvalidDPoPProof, "This client must send a DPoP proof.");

    /// <summary>
    /// FAPI 2.0 Security Profile §5.3.2.1: a fapi2 client gets only sender-constrained access tokens, so a request with
    /// neither a DPoP proof nor a client certificate is refused as one without its required proof; see docs/adr/0025.
    /// </summary>
    public static readonly OAuthError SenderConstraintRequired =
        new(OAuthErrorCodes.InvalidDPoPProof, "Access tokens of this client must be sender-constrained: send a DPoP proof, or the client certificate over mutual TLS.");

    public static readonly OAuthError UseDPoPNonce =
        new(OAuthErrorCodes.UseDPoPNonce, "The DPoP proof must carry the nonce from the DPoP-Nonce header.");

    public static readonly OAuthError MalformedDPoPJkt =
        new(OAuthErrorCodes.InvalidRequest, "The dpop_jkt parameter is not a SHA-256 JWK thumbprint.");

    /// <summary>
    /// RFC 8705 §3.4: a client registered with tls_client_certificate_bound_access_tokens gets no token without a certificate
    /// to bind it to. RFC 8705 names no error; the certificate is a required part of the request (RFC 6749 §5.2), see docs/adr/0023.
    /// </summary>
    public static readonly OAuthError ClientCertificateRequired =
        new(OAuthErrorCodes.InvalidRequest, "This client must present its certificate over mutual TLS to obtain a token.");

    /// <summary>RFC 9449 §10.1: a pushed request with both a DPoP proof and dpop_jkt must name the same key.</summary>
    public static readonly OAuthError DPoPJktMismatch =
        new(OAuthErrorCodes.InvalidRequest, "The dpop_jkt parameter does not match the key of the DPoP proof.");

    // Dynamic client registration (RFC 7591 §3.2.2) and management (RFC 7592 §2).

    /// <summary>RFC 7591 §3.2.2: one description for every refused redirect URI; the URI itself is never echoed.</summary>
    public static readonly OAuthError InvalidRedirectUri =
        new(OAuthErrorCodes.InvalidRedirectUri,
            "A redirect URI is not allowed: use https, http only on a loopback address, or a private-use scheme such as com.example.app; no fragment, no javascript: or data:.");

    /// <summary>RFC 7591 §3.2.2: the description names the member (a name from the fixed metadata vocabulary, never a value).</summary>
    public static OAuthError InvalidClientMetadata(string member) =>
        new(OAuthErrorCodes.InvalidClientMetadata, $"The value of the client metadata member {member} is invalid or not allowed on this server.");

    public static readonly OAuthError RegistrationBodyInvalid =
        new(OAuthErrorCodes.InvalidClientMetadata, "The request body must be a JSON object of client metadata.");

    /// <summary>The grant types and scopes a self-registered client may ask for are the operator's choice (RFC 7591 §2).</summary>
    public static OAuthError ClientMetadataNotAllowed(string member) =>
        new(OAuthErrorCodes.InvalidClientMetadata, $"The value of {member} is not allowed for dynamically registered clients on this server.");

    /// <summary>Software statements (RFC 7591 §2.3) are not accepted by this server (docs/adr/0027).</summary>
    public static readonly OAuthError SoftwareStatementNotSupported =
        new(OAuthErrorCodes.InvalidSoftwareStatement, "Software statements are not accepted by this server.");

    /// <summary>RFC 7592 §2.2: the client_id of an update must be the client's own.</summary>
    public static readonly OAuthError RegistrationClientIdMismatch =
        new(OAuthErrorCodes.InvalidRequest, "The client_id in the body does not match the client being updated.");

    /// <summary>RFC 7592 §2.2: a client_secret sent in an update must be the client's current one.</summary>
    public static readonly OAuthError RegistrationClientSecretMismatch =
        new(OAuthErrorCodes.InvalidRequest, "The client_secret in the body does not match the client's current secret.");

    /// <summary>
    /// RFC 7592 §2.1, RFC 6750 §3.1: a missing, wrong, another client's or a disabled client's registration access
    /// token all read alike, so the answer tells nothing about which client ids exist.
    /// </summary>
    public static readonly OAuthError InvalidRegistrationAccessToken =
        new(OAuthErrorCodes.InvalidToken, "The registration access token is missing or invalid.");

    /// <summary>RFC 7591 §3: the operator has not opened registration (no initial access token can help); docs/adr/0027.</summary>
    public static readonly OAuthError RegistrationClosed =
        new(OAuthErrorCodes.AccessDenied, "Dynamic client registration is not enabled on this server.");

    /// <summary>RFC 7591 §3, RFC 6750 §3.1: the initial access token is missing, unknown, expired, revoked or used up.</summary>
    public static readonly OAuthError InvalidInitialAccessToken =
        new(OAuthErrorCodes.InvalidToken, "An initial access token is required and must be valid, unexpired and not used up.");

    /// <summary>
    /// The token endpoint's request-rate limit (docs/adr/0043): 429 with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3). RFC 6749
    /// §5.2 has no code for it and an unregistered one would break its closed list (§8.5 asks for registration), so the
    /// body says invalid_request, as the registration endpoint's limit does; the status and Retry-After say "wait".
    /// </summary>
    public static OAuthError TokenRateLimited(TimeSpan retryAfter) =>
        new(OAuthErrorCodes.InvalidRequest, "Too many token requests; retry after the time in Retry-After.") { RetryAfter = retryAfter };

    /// <summary>The per-address rate limit of the registration endpoint: 429 with Retry-After (RFC 6585 §4).</summary>
    public static OAuthError RegistrationThrottled(TimeSpan retryAfter) =>
        new(OAuthErrorCodes.InvalidRequest, "Too many registration requests from this address; retry later.") { RetryAfter = retryAfter };

    // The device grant's polling answers (RFC 8628 §3.5).
    public static readonly OAuthError AuthorizationPending =
        new(OAuthErrorCodes.AuthorizationPending, "The user has not yet decided; keep polling at the interval.");

    public static readonly OAuthError SlowDown =
        new(OAuthErrorCodes.SlowDown, "Polling too fast; the interval has grown by 5 seconds for this and all later requests.");

    public static readonly OAuthError DeviceAccessDenied =
        new(OAuthErrorCodes.AccessDenied, "The user denied the authorization request.");

    public static readonly OAuthError ExpiredDeviceCode =
        new(OAuthErrorCodes.ExpiredToken, "The device code has expired; start a new device authorization request.");

    // The server's own state (RFC 6749 §4.1.2.1, §5.2 extensions).
    public static readonly OAuthError TemporarilyUnavailable =
        new(OAuthErrorCodes.TemporarilyUnavailable, "The server is temporarily unable to handle the request.");

    public static readonly OAuthError ServerError =
        new(OAuthErrorCodes.ServerError, "The server encountered an unexpected condition.");
}
