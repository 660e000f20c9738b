using AuthService.Domain.Clients.Events;
using AuthService.Domain.Common;

namespace AuthService.Domain.Clients;

/// <summary>
/// An OAuth client (RFC 6749 §2). Invariants: public clients have no secret and may not use the
/// client credentials grant; confidential clients hold at least one secret, stored only as a hash;
/// redirect URIs are absolute, fragment-free, https (or loopback http); grant types and auth methods
/// come from the supported sets.
/// </summary>
public sealed class Client : AggregateRoot
{
    public const int MaxClientIdLength = 200;
    public const int MaxSecrets = 5;
    public const int MaxRedirectUris = 50;

    private readonly List<ClientSecret> _secrets = [];
    private List<string> _redirectUris = [];
    private List<string> _postLogoutRedirectUris = [];
    private List<string> _grantTypes = [];
    private List<string> _allowedScopes = [];
    private List<string> _tokenExchangeAudiences = [];
    private List<string> _tokenExchangeSubjectClients = [];
    private List<string> _tokenExchangeSubjectIssuers = [];
    private List<string> _defaultAcrValues = [];

    private Client()
    {
        ClientId = null!;
        ClientName = null!;
        TokenEndpointAuthMethod = null!;
    }

    public string ClientId { get; private set; }

    public string ClientName { get; private set; }

    public ClientType Type { get; private set; }

    public string TokenEndpointAuthMethod { get; private set; }

    public IReadOnlyList<ClientSecret> Secrets => _secrets;

    public IReadOnlyList<string> RedirectUris => _redirectUris;

    public IReadOnlyList<string> PostLogoutRedirectUris => _postLogoutRedirectUris;

    public IReadOnlyList<string> GrantTypes => _grantTypes;

    public IReadOnlyList<string> AllowedScopes => _allowedScopes;

    public TimeSpan AccessTokenLifetime { get; private set; }

    /// <summary>The <c>aud</c> of access tokens issued to this client without a resource indicator; null means the issuer.</summary>
    public string? Audience { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>False for first-party clients whose users are not asked to consent.</summary>
    public bool RequireConsent { get; private set; } = true;

    public string IdTokenSignedResponseAlg { get; private set; } = SigningKeys.SigningAlgorithms.RS256;

    /// <inheritdoc cref="ClientSettings.Jwks"/>
    public string? Jwks { get; private set; }

    /// <inheritdoc cref="ClientSettings.JwksUri"/>
    public string? JwksUri { get; private set; }

    /// <inheritdoc cref="ClientSettings.TokenEndpointAuthSigningAlg"/>
    public string? TokenEndpointAuthSigningAlg { get; private set; }

    /// <inheritdoc cref="ClientSettings.TlsClientAuthSubjectDn"/>
    public string? TlsClientAuthSubjectDn { get; private set; }

    /// <inheritdoc cref="ClientSettings.TlsClientAuthSanDns"/>
    public string? TlsClientAuthSanDns { get; private set; }

    /// <inheritdoc cref="ClientSettings.DPoPBoundAccessTokens"/>
    public bool DPoPBoundAccessTokens { get; private set; }

    /// <inheritdoc cref="ClientSettings.TlsClientCertificateBoundAccessTokens"/>
    public bool TlsClientCertificateBoundAccessTokens { get; private set; }

    /// <inheritdoc cref="ClientSettings.RequirePushedAuthorizationRequests"/>
    public bool RequirePushedAuthorizationRequests { get; private set; }

    /// <inheritdoc cref="ClientSettings.RequestObjectSigningAlg"/>
    public string? RequestObjectSigningAlg { get; private set; }

    /// <inheritdoc cref="ClientSettings.BackchannelLogoutUri"/>
    public string? BackchannelLogoutUri { get; private set; }

    /// <inheritdoc cref="ClientSettings.BackchannelLogoutSessionRequired"/>
    public bool BackchannelLogoutSessionRequired { get; private set; }

    /// <inheritdoc cref="ClientSettings.FrontchannelLogoutUri"/>
    public string? FrontchannelLogoutUri { get; private set; }

    /// <inheritdoc cref="ClientSettings.FrontchannelLogoutSessionRequired"/>
    public bool FrontchannelLogoutSessionRequired { get; private set; }

    /// <inheritdoc cref="ClientSettings.Profile"/>
    public string? Profile { get; private set; }

    /// <inheritdoc cref="ClientSettings.RequireMfa"/>
    public bool RequireMfa { get; private set; }

    /// <inheritdoc cref="ClientSettings.DefaultAcrValues"/>
    public IReadOnlyList<string> DefaultAcrValues => _defaultAcrValues;

    /// <inheritdoc cref="ClientSettings.TokenRateLimit"/>
    public int? TokenRateLimit { get; private set; }

    /// <inheritdoc cref="TokenExchangePolicy.Impersonation"/>
    public bool TokenExchangeImpersonation { get; private set; }

    /// <inheritdoc cref="ClientSettings.TokenExchange"/>
    public TokenExchangePolicy TokenExchange => new()
    {
        Audiences = _tokenExchangeAudiences, SubjectClients = _tokenExchangeSubjectClients,
        SubjectIssuers = _tokenExchangeSubjectIssuers, Impersonation = TokenExchangeImpersonation,
    };

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Declared by an operator or registered dynamically (RFC 7591).</summary>
    public RegistrationSource RegistrationSource { get; private set; }

    /// <summary>The hash of the RFC 7592 registration access token; null for static clients, which cannot be managed that way.</summary>
    public SecretHash? RegistrationAccessTokenHash { get; private set; }

    /// <summary>When a dynamic client last obtained a token, recorded at most once per <see cref="UsageRecordingInterval"/>.</summary>
    public DateTimeOffset? LastUsedAt { get; private set; }

    /// <summary>How coarse <see cref="LastUsedAt"/> is: writing it costs the token endpoint at most one update a day per client.</summary>
    public static readonly TimeSpan UsageRecordingInterval = TimeSpan.FromDays(1);

    /// <param name="secret">Required for the secret methods (<see cref="TokenEndpointAuthMethods.UsesSecret"/>), forbidden for the others.</param>
    /// <param name="protectedSecret">The secret encrypted for use as a MAC key; required by <c>client_secret_jwt</c> (docs/adr/0005).</param>
    public static Client Register(string clientId, ClientSettings settings, SecretHash? secret, DateTimeOffset now, byte[]? protectedSecret = null) =>
        Create(clientId, settings, secret, now, protectedSecret, RegistrationSource.Static, registrationAccessToken: null);

    private static Client Create(
        string clientId, ClientSettings settings, SecretHash? secret, DateTimeOffset now, byte[]? protectedSecret, RegistrationSource source, SecretHash? registrationAccessToken)
    {
        ValidateClientId(clientId);
        Guard.RequireUtc(now, nameof(now));
        ValidateSettings(settings);
        var client = new Client
        {
            ClientId = clientId, Enabled = true, CreatedAt = now, RegistrationSource = source, RegistrationAccessTokenHash = registrationAccessToken,
            LastUsedAt = source == RegistrationSource.Dynamic ? now : null,
        };
        client.Apply(settings, now);
        RequireSecretRulesFor(settings.TokenEndpointAuthMethod, secret, protectedSecret, requireSecretIfNeeded: true);
        if (secret is not null)
        {
            client._secrets.Add(new ClientSecret(Guid.NewGuid(), secret, now, expiresAt: null, protectedSecret));
        }

        client.Raise(new ClientRegistered(clientId, now, source));
        return client;
    }

    /// <summary>
    /// Registers a client that asked for itself (RFC 7591 §3): never first-party, so its users always consent,
    /// and managed only with the registration access token whose hash is given (RFC 7592 §3).
    /// </summary>
    public static Client RegisterDynamically(string clientId, ClientSettings settings, SecretHash? secret, SecretHash registrationAccessToken, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registrationAccessToken);
        ArgumentNullException.ThrowIfNull(settings);
        RequireConsentForDynamic(settings);
        Guard.Against(settings.TokenRateLimit is not null, "token_rate_limit", "A client cannot choose its own token rate limit; the operator sets it.");
        return Create(clientId, settings, secret, now, protectedSecret: null, RegistrationSource.Dynamic, registrationAccessToken);
    }

    /// <summary>
    /// RFC 7592 §2.2: the client replaces its own metadata (the type may not change, as for an administrator's update)
    /// and gets a new registration access token; the previous one stops working.
    /// </summary>
    public void ReplaceRegistration(ClientSettings settings, SecretHash newRegistrationAccessToken, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(newRegistrationAccessToken);
        RequireDynamic();
        ArgumentNullException.ThrowIfNull(settings);

        // The rate limit is the operator's, not client metadata (RFC 7591 §2 has none): a client replacing its
        // registration keeps whatever the operator set, and cannot lift it.
        var changed = UpdateSettings(settings with { TokenRateLimit = TokenRateLimit }, now);
        RegistrationAccessTokenHash = newRegistrationAccessToken;
        UpdatedAt = now;
        if (!changed)
        {
            // The token still rotates, and the update is still on record.
            Raise(new ClientReconfigured(ClientId, now));
        }
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is this client's registration access token (constant-time). Always false for a
    /// static client, and for a disabled one: an operator's disable also stops self-management.
    /// </summary>
    public bool AcceptsRegistrationAccessToken(string presented) =>
        RegistrationAccessTokenHash is { } hash && hash.Matches(presented) && Enabled && RegistrationSource == RegistrationSource.Dynamic;

    /// <summary>
    /// The URL the logout page frames for this client when a session that reached it ends (OpenID Connect Front-Channel
    /// Logout 1.0 §2), or null when none is registered or the client is disabled. With
    /// <see cref="FrontchannelLogoutSessionRequired"/> it carries <c>iss</c> and <c>sid</c> (both, §2), appended to any
    /// query the registered URI already has.
    /// </summary>
    public string? FrontchannelLogoutUrl(string issuer, string sessionId)
    {
        if (!Enabled || FrontchannelLogoutUri is not { } uri)
        {
            return null;
        }

        if (!FrontchannelLogoutSessionRequired)
        {
            return uri;
        }

        var separator = uri.Contains('?', StringComparison.Ordinal) ? (uri.EndsWith('?') || uri.EndsWith('&') ? "" : "&") : "?";
        return uri + separator + "iss=" + Uri.EscapeDataString(issuer) + "&sid=" + Uri.EscapeDataString(sessionId);
    }

    /// <summary>Whether a client with this source and last recorded use needs its use recorded now (the rule of <see cref="RecordUse"/>).</summary>
    public static bool IsUseRecordingDue(RegistrationSource source, DateTimeOffset? lastUsedAt, DateTimeOffset now) =>
        source == RegistrationSource.Dynamic && (lastUsedAt is not { } last || now - last >= UsageRecordingInterval);

    /// <summary>
    /// Records that the client obtained a token. Coarse by design: true (a write is due) only when the last record is
    /// older than <see cref="UsageRecordingInterval"/>; static clients are never recorded.
    /// </summary>
    public bool RecordUse(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!IsUseRecordingDue(RegistrationSource, LastUsedAt, now))
        {
            return false;
        }

        LastUsedAt = now;
        return true;
    }

    /// <summary>A dynamic client unused since <paramref name="cutoff"/> (or never used and registered before it) may be purged.</summary>
    public bool IsInactiveSince(DateTimeOffset cutoff) =>
        RegistrationSource == RegistrationSource.Dynamic && (LastUsedAt ?? CreatedAt) < cutoff;

    /// <summary>
    /// Replaces the settings. A confidential client keeps its secrets unless <paramref name="replacementSecret"/>
    /// is given and is not one of them, in which case it becomes the only secret (a secret added by
    /// rotation survives re-applying a declaration that still names an existing secret); a client
    /// that turns public loses its secrets.
    /// Returns false, changing nothing, when the settings and secret are already as asked.
    /// </summary>
    public bool Reconfigure(ClientSettings settings, SecretHash? replacementSecret, DateTimeOffset now, byte[]? protectedReplacement = null)
    {
        Guard.RequireUtc(now, nameof(now));

        // Validate everything before changing anything, so a refused change leaves the client intact.
        ValidateSettings(settings);
        if (RegistrationSource == RegistrationSource.Dynamic)
        {
            RequireConsentForDynamic(settings);
        }

        var usesSecret = TokenEndpointAuthMethods.UsesSecret(settings.TokenEndpointAuthMethod);
        RequireSecretRulesFor(settings.TokenEndpointAuthMethod, replacementSecret, protectedReplacement, requireSecretIfNeeded: _secrets.Count == 0);
        var secretsChange = !usesSecret
            ? _secrets.Count > 0
            : replacementSecret is not null && !_secrets.Any(existing => existing.Hash.Equals(replacementSecret));
        if (HasSettings(settings) && !secretsChange)
        {
            return false;
        }

        Apply(settings, now);
        if (secretsChange)
        {
            _secrets.Clear();
            if (replacementSecret is not null)
            {
                _secrets.Add(new ClientSecret(Guid.NewGuid(), replacementSecret, now, expiresAt: null, protectedReplacement));
            }
        }

        Raise(new ClientReconfigured(ClientId, now));
        return true;
    }

    /// <summary>Adds a secret for rotation; the existing ones keep working until they expire.</summary>
    public ClientSecret AddSecret(SecretHash secret, DateTimeOffset now, DateTimeOffset? expiresAt = null, byte[]? protectedSecret = null)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireSecretMethod();
        RequireProtectedSecretIfKeyed(TokenEndpointAuthMethod, protectedSecret);
        Guard.Against(_secrets.Any(s => s.Hash.Equals(secret)), "client_secret", "The client already holds this secret.");
        Guard.Against(_secrets.Count(s => s.IsValidAt(now)) >= MaxSecrets, "client_secret", $"A client holds at most {MaxSecrets} valid secrets.");
        Guard.Against(expiresAt is not null && expiresAt <= now, "expires_at", "A secret's expiry must be in the future.");
        Guard.Against(expiresAt is { Offset.Ticks: not 0 }, "expires_at", "expires_at must be a UTC timestamp.");
        var added = new ClientSecret(Guid.NewGuid(), secret, now, expiresAt, protectedSecret);
        _secrets.Add(added);
        UpdatedAt = now;
        Raise(new ClientSecretAdded(ClientId, added.Id, now));
        return added;
    }

    /// <summary>Stops the client authenticating. False, changing nothing, when it is already disabled.</summary>
    public bool Disable(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!Enabled)
        {
            return false;
        }

        Enabled = false;
        UpdatedAt = now;
        Raise(new ClientDisabled(ClientId, now));
        return true;
    }

    /// <summary>Lets the client authenticate again. False, changing nothing, when it is already enabled.</summary>
    public bool Enable(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (Enabled)
        {
            return false;
        }

        Enabled = true;
        UpdatedAt = now;
        Raise(new ClientEnabled(ClientId, now));
        return true;
    }

    /// <summary>
    /// An administrator's replacement of the settings. Secrets are never touched here, so the client type
    /// may not change: a confidential client turned public would lose its secrets and a public client
    /// turned confidential would have none. Register a new client for that instead.
    /// Returns false, changing nothing, when the settings are already as asked.
    /// </summary>
    public bool UpdateSettings(ClientSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Guard.Against(TokenEndpointAuthMethods.IsSupported(settings.TokenEndpointAuthMethod) && TypeOf(settings) != Type, "token_endpoint_auth_method",
            $"A {(Type == ClientType.Public ? "public" : "confidential")} client cannot change token_endpoint_auth_method to "
            + $"'{settings.TokenEndpointAuthMethod}': switching between none and a secret method is not supported; register a new client instead.");
        Guard.Against(TokenEndpointAuthMethods.UsesSecret(settings.TokenEndpointAuthMethod) && !TokenEndpointAuthMethods.UsesSecret(TokenEndpointAuthMethod),
            "token_endpoint_auth_method",
            $"A client authenticating with {TokenEndpointAuthMethod} holds no secret, so it cannot switch to '{settings.TokenEndpointAuthMethod}'; register a new client instead.");
        return Reconfigure(settings, replacementSecret: null, now);
    }

    /// <summary>
    /// Adds <paramref name="newSecret"/> (no expiry) and lets every other secret authenticate only until
    /// <paramref name="previousSecretsExpireAt"/> (the grace period; <paramref name="now"/> stops them at once).
    /// Secrets no longer valid are dropped. At most <see cref="MaxSecrets"/> secrets are valid afterwards.
    /// </summary>
    public ClientSecret RotateSecret(SecretHash newSecret, DateTimeOffset previousSecretsExpireAt, DateTimeOffset now, byte[]? protectedSecret = null)
    {
        ArgumentNullException.ThrowIfNull(newSecret);
        Guard.RequireUtc(now, nameof(now));
        RequireSecretMethod();
        RequireProtectedSecretIfKeyed(TokenEndpointAuthMethod, protectedSecret);
        Guard.Against(previousSecretsExpireAt < now, "previous_secrets_expire_in", "The previous secrets cannot expire in the past.");
        Guard.Against(previousSecretsExpireAt.Offset != TimeSpan.Zero, "previous_secrets_expire_in", "The expiry of the previous secrets must be a UTC timestamp.");
        Guard.Against(_secrets.Any(s => s.Hash.Equals(newSecret)), "client_secret", "The client already holds this secret.");

        // Validate before changing: the secrets still valid after the rotation, plus the new one.
        var remaining = _secrets.Count(s => s.IsValidAt(now) && previousSecretsExpireAt > now);
        Guard.Against(remaining + 1 > MaxSecrets, "client_secret",
            $"A client holds at most {MaxSecrets} valid secrets; revoke one first or rotate with previous_secrets_expire_in=0.");

        foreach (var secret in _secrets)
        {
            secret.ExpireNoLaterThan(previousSecretsExpireAt);
        }

        _secrets.RemoveAll(s => !s.IsValidAt(now));
        var added = new ClientSecret(Guid.NewGuid(), newSecret, now, expiresAt: null, protectedSecret);
        _secrets.Add(added);
        UpdatedAt = now;
        Raise(new ClientSecretRotated(ClientId, added.Id, previousSecretsExpireAt, now));
        return added;
    }

    /// <summary>
    /// Removes one secret: it stops authenticating at once. A confidential client keeps at least one valid
    /// secret; to stop it authenticating altogether, disable it.
    /// </summary>
    public void RevokeSecret(Guid secretId, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        var secret = _secrets.Find(s => s.Id == secretId);
        Guard.Against(secret is null, "secret_id", "The client holds no secret with this id.");
        Guard.Against(secret!.IsValidAt(now) && !_secrets.Any(s => s.Id != secretId && s.IsValidAt(now)), "secret_id",
            "This is the client's last active secret and a confidential client needs one: rotate the secret instead, or disable the client.");
        _secrets.Remove(secret);
        UpdatedAt = now;
        Raise(new ClientSecretRevoked(ClientId, secretId, now));
    }

    /// <summary>Records the deletion (the repository removes the client); its grants are the caller's to delete.</summary>
    public void Delete(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Raise(new ClientDeleted(ClientId, now));
    }

    public bool AllowsGrant(string grantType) => AllowsGrant(Type, _grantTypes, grantType);

    /// <summary>
    /// The grant rule, stated once for the aggregate and for read models that copy a client: the grant type
    /// is registered, and <c>client_credentials</c> is for confidential clients only (OAuth 2.1 §4.2).
    /// </summary>
    public static bool AllowsGrant(ClientType type, IEnumerable<string> registeredGrantTypes, string grantType) =>
        registeredGrantTypes.Contains(grantType)
        && (type == ClientType.Confidential || !Clients.GrantTypes.IsConfidentialOnly(grantType));

    /// <summary>
    /// Whether a token issued to this client at <paramref name="issuedAt"/> (a whole-second <c>iat</c>) still
    /// speaks for it: the client is enabled and is the one the token was issued to, not a client registered
    /// later under the same id after a deletion.
    /// </summary>
    public bool Vouches(DateTimeOffset issuedAt) => Vouches(Enabled, CreatedAt, issuedAt);

    /// <inheritdoc cref="Vouches(DateTimeOffset)"/>
    public static bool Vouches(bool enabled, DateTimeOffset createdAt, DateTimeOffset issuedAt) =>
        enabled && issuedAt.AddSeconds(1) > createdAt;

    public static ClientType TypeOf(ClientSettings settings) =>
        settings.TokenEndpointAuthMethod == TokenEndpointAuthMethods.None ? ClientType.Public : ClientType.Confidential;

    public static void ValidateClientId(string? clientId)
    {
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "client_id is required.");
        Guard.Against(clientId!.Length > MaxClientIdLength, "client_id", $"client_id must be at most {MaxClientIdLength} characters.");

        // RFC 6749 Appendix A.1: client-id = *VSCHAR (%x20-7E).
        Guard.Against(clientId.Any(c => c < 0x20 || c > 0x7E), "client_id", "client_id must contain only printable ASCII characters.");
        Guard.Against(clientId.Trim().Length != clientId.Length, "client_id", "client_id must not start or end with a space.");
    }

    /// <summary>Checks settings without applying them; throws <see cref="DomainRuleViolationException"/> naming the field.</summary>
    public static void ValidateSettings(ClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Guard.Against(string.IsNullOrWhiteSpace(settings.ClientName) || settings.ClientName.Length > 200, "client_name", "client_name is required and at most 200 characters.");
        Guard.Against(!TokenEndpointAuthMethods.IsSupported(settings.TokenEndpointAuthMethod), "token_endpoint_auth_method",
            $"token_endpoint_auth_method must be one of: {string.Join(", ", TokenEndpointAuthMethods.Supported)}.");

        Guard.Against(settings.GrantTypes.Count == 0, "grant_types", "At least one grant type is required.");
        foreach (var grantType in settings.GrantTypes)
        {
            Guard.Against(!Clients.GrantTypes.IsSupported(grantType), "grant_types",
                $"Unsupported grant type '{Printable(grantType)}'; supported: {string.Join(", ", Clients.GrantTypes.Supported)}.");
        }

        Guard.Against(settings.GrantTypes.Distinct(StringComparer.Ordinal).Count() != settings.GrantTypes.Count, "grant_types", "Grant types must not repeat.");
        var isPublic = TypeOf(settings) == ClientType.Public;

        // OAuth 2.1 §4.2: the client credentials grant is for confidential clients only.
        Guard.Against(isPublic && settings.GrantTypes.Contains(Clients.GrantTypes.ClientCredentials), "grant_types",
            "A public client (token_endpoint_auth_method=none) cannot use the client_credentials grant.");
        // RFC 8693 §2.1 leaves client authentication to the server: token exchange is for confidential clients only.
        Guard.Against(isPublic && settings.GrantTypes.Contains(Clients.GrantTypes.TokenExchange), "grant_types",
            "A public client (token_endpoint_auth_method=none) cannot use the token exchange grant.");
        // Refresh tokens are issued by the grants that act for a user: the code flow and the device grant (RFC 8628 §3.5).
        Guard.Against(settings.GrantTypes.Contains(Clients.GrantTypes.RefreshToken)
            && !settings.GrantTypes.Contains(Clients.GrantTypes.AuthorizationCode) && !settings.GrantTypes.Contains(Clients.GrantTypes.DeviceCode),
            "grant_types", "refresh_token is only issued through authorization_code or the device grant; register one of them too.");
        Guard.Against(settings.GrantTypes.Contains(Clients.GrantTypes.AuthorizationCode) && settings.RedirectUris.Count == 0,
            "redirect_uris", "A client using authorization_code needs at least one redirect URI.");

        ValidateUris(settings.RedirectUris, "redirect_uris");
        ValidateUris(settings.PostLogoutRedirectUris, "post_logout_redirect_uris");

        Guard.Against(settings.AllowedScopes.Count > ScopeRules.MaxScopes, "scope", $"A client may be allowed at most {ScopeRules.MaxScopes} scopes.");
        foreach (var scope in settings.AllowedScopes)
        {
            Guard.Against(!ScopeRules.IsValidScopeToken(scope), "scope", $"'{Printable(scope)}' is not a valid scope token (RFC 6749 §3.3).");
        }

        Guard.Against(settings.AllowedScopes.Distinct(StringComparer.Ordinal).Count() != settings.AllowedScopes.Count, "scope", "Scopes must not repeat.");
        Guard.Against(settings.AccessTokenLifetime < ClientSettings.MinAccessTokenLifetime || settings.AccessTokenLifetime > ClientSettings.MaxAccessTokenLifetime,
            "access_token_lifetime", $"The access token lifetime must be between {ClientSettings.MinAccessTokenLifetime.TotalSeconds} and {ClientSettings.MaxAccessTokenLifetime.TotalSeconds} seconds.");
        // RFC 8725 §3.2: unsigned or symmetric ID tokens are never issued.
        Guard.Against(!SigningKeys.SigningAlgorithms.IsSupported(settings.IdTokenSignedResponseAlg), "id_token_signed_response_alg",
            $"id_token_signed_response_alg must be one of: {string.Join(", ", SigningKeys.SigningAlgorithms.Supported)}.");
        Guard.Against(settings.Audience is not null && (settings.Audience.Length is 0 or > 500 || settings.Audience.Any(c => c <= 0x20 || c >= 0x7F)),
            "audience", "audience must be 1 to 500 printable ASCII characters without spaces.");
        ValidateCredentialSettings(settings);
        ValidateLogoutSettings(settings);
        ValidateProfile(settings);
        ValidateDefaultAcrValues(settings.DefaultAcrValues);
        Guard.Against(settings.TokenRateLimit is < 1 or > ClientSettings.MaxTokenRateLimit, "token_rate_limit",
            $"token_rate_limit must be between 1 and {ClientSettings.MaxTokenRateLimit} requests per second, or absent for the server's default.");
        ArgumentNullException.ThrowIfNull(settings.TokenExchange);
        settings.TokenExchange.Validate(settings.GrantTypes.Contains(Clients.GrantTypes.TokenExchange));
    }

    /// <summary>
    /// Back-Channel Logout 1.0 §2.2 and Front-Channel Logout 1.0 §2: absolute URIs without a fragment. The server
    /// calls the back-channel URI itself, so it is held to the outbound rules of <c>jwks_uri</c> (https, http only
    /// for a loopback host, no user information); the front-channel URI is framed in the user's browser, which
    /// makes it an origin in the logout page's CSP, so it is held to the same rule.
    /// </summary>
    private static void ValidateLogoutSettings(ClientSettings settings)
    {
        Guard.Against(settings.BackchannelLogoutUri is { } back && ClientKeySetRules.ValidateJwksUri(back) is not null, "backchannel_logout_uri",
            $"backchannel_logout_uri {ClientKeySetRules.ValidateJwksUri(settings.BackchannelLogoutUri ?? string.Empty)}.");
        Guard.Against(settings.FrontchannelLogoutUri is { } front && ClientKeySetRules.ValidateJwksUri(front) is not null, "frontchannel_logout_uri",
            $"frontchannel_logout_uri {ClientKeySetRules.ValidateJwksUri(settings.FrontchannelLogoutUri ?? string.Empty)}.");
        Guard.Against(settings.FrontchannelLogoutUri is { } framed && !SharesOriginWithARedirectUri(framed, settings.RedirectUris), "frontchannel_logout_uri",
            "The scheme, host and port of frontchannel_logout_uri must be those of a registered redirect URI.");
        Guard.Against(settings.BackchannelLogoutSessionRequired && settings.BackchannelLogoutUri is null, "backchannel_logout_session_required",
            "backchannel_logout_session_required applies only with a backchannel_logout_uri.");
        Guard.Against(settings.FrontchannelLogoutSessionRequired && settings.FrontchannelLogoutUri is null, "frontchannel_logout_session_required",
            "frontchannel_logout_session_required applies only with a frontchannel_logout_uri.");
    }

    /// <summary>
    /// Front-Channel Logout 1.0 §2: "The domain, port, and scheme of this URL MUST be the same as that of a registered
    /// Redirection URI value", so a registration cannot make every user's logout page frame a third party's site.
    /// </summary>
    private static bool SharesOriginWithARedirectUri(string frontchannelLogoutUri, IReadOnlyList<string> redirectUris) =>
        Uri.TryCreate(frontchannelLogoutUri, UriKind.Absolute, out var framed)
        && redirectUris.Any(r => Uri.TryCreate(r, UriKind.Absolute, out var redirect)
            && string.Equals(framed.Scheme, redirect.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(framed.IdnHost, redirect.IdnHost, StringComparison.OrdinalIgnoreCase)
            && framed.Port == redirect.Port);

    /// <summary>The key, certificate and algorithm metadata of RFC 7591 §2, RFC 8705 §2.1.2 and RFC 9101 §10.5.</summary>
    private static void ValidateCredentialSettings(ClientSettings settings)
    {
        var method = settings.TokenEndpointAuthMethod;
        Guard.Against(settings.Jwks is not null && settings.JwksUri is not null, "jwks", "jwks and jwks_uri must not both be present (RFC 7591 §2).");
        Guard.Against(settings.Jwks is not null && ClientKeySetRules.ValidateJwks(settings.Jwks) is not null, "jwks",
            $"jwks {ClientKeySetRules.ValidateJwks(settings.Jwks ?? "{}")}.");
        Guard.Against(settings.JwksUri is not null && ClientKeySetRules.ValidateJwksUri(settings.JwksUri) is not null, "jwks_uri",
            $"jwks_uri {ClientKeySetRules.ValidateJwksUri(settings.JwksUri ?? string.Empty)}.");
        Guard.Against(TokenEndpointAuthMethods.UsesKeys(method) && settings.Jwks is null && settings.JwksUri is null, "jwks",
            $"{method} needs the client's public keys: register jwks or jwks_uri.");

        if (settings.TokenEndpointAuthSigningAlg is { } assertionAlg)
        {
            Guard.Against(!TokenEndpointAuthMethods.UsesAssertion(method), "token_endpoint_auth_signing_alg",
                "token_endpoint_auth_signing_alg applies only to private_key_jwt and client_secret_jwt.");
            Guard.Against(method == TokenEndpointAuthMethods.PrivateKeyJwt && !JwsAlgorithms.IsAsymmetric(assertionAlg), "token_endpoint_auth_signing_alg",
                $"private_key_jwt assertions are signed with one of: {string.Join(", ", JwsAlgorithms.Asymmetric)}.");
            Guard.Against(method == TokenEndpointAuthMethods.ClientSecretJwt && !JwsAlgorithms.IsSymmetric(assertionAlg), "token_endpoint_auth_signing_alg",
                $"client_secret_jwt assertions are signed with one of: {string.Join(", ", JwsAlgorithms.Symmetric)}.");
        }

        var isTlsClientAuth = method == TokenEndpointAuthMethods.TlsClientAuth;
        Guard.Against(!isTlsClientAuth && (settings.TlsClientAuthSubjectDn is not null || settings.TlsClientAuthSanDns is not null), "tls_client_auth_subject_dn",
            "tls_client_auth_subject_dn and tls_client_auth_san_dns apply only to tls_client_auth.");
        Guard.Against(isTlsClientAuth && (settings.TlsClientAuthSubjectDn is null) == (settings.TlsClientAuthSanDns is null), "tls_client_auth_subject_dn",
            "tls_client_auth needs exactly one of tls_client_auth_subject_dn and tls_client_auth_san_dns (RFC 8705 §2.1.2).");
        Guard.Against(settings.TlsClientAuthSubjectDn is { } dn && !IsDistinguishedName(dn), "tls_client_auth_subject_dn",
            "tls_client_auth_subject_dn must be an RFC 4514 distinguished name of at most 1000 characters.");
        Guard.Against(settings.TlsClientAuthSanDns is { } dns && (dns.Length > 253 || Uri.CheckHostName(dns) != UriHostNameType.Dns), "tls_client_auth_san_dns",
            "tls_client_auth_san_dns must be a DNS name.");
        Guard.Against(settings.RequestObjectSigningAlg is { } requestAlg && !JwsAlgorithms.IsAsymmetric(requestAlg), "request_object_signing_alg",
            $"request_object_signing_alg must be one of: {string.Join(", ", JwsAlgorithms.Asymmetric)} (never none, never a MAC).");
    }

    /// <summary>
    /// OIDC Dynamic Client Registration 1.0 §2 <c>default_acr_values</c>: only the acr values this server defines
    /// (<see cref="Sessions.AuthenticationMethods.AcrValuesSupported"/>), each once; a value it cannot reach would
    /// silently turn into no requirement at all.
    /// </summary>
    private static void ValidateDefaultAcrValues(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Guard.Against(values.Any(v => !Sessions.AuthenticationMethods.AcrValuesSupported.Contains(v, StringComparer.Ordinal)), "default_acr_values",
            $"default_acr_values may name only: {string.Join(", ", Sessions.AuthenticationMethods.AcrValuesSupported)}.");
        Guard.Against(values.Distinct(StringComparer.Ordinal).Count() != values.Count, "default_acr_values", "default_acr_values must not repeat.");
    }

    /// <summary>What a profile asks of the registration itself; its runtime rules are enforced where requests are handled.</summary>
    private static void ValidateProfile(ClientSettings settings)
    {
        if (settings.Profile is null)
        {
            return;
        }

        Guard.Against(!ClientProfiles.IsSupported(settings.Profile), "profile", $"profile must be one of: {string.Join(", ", ClientProfiles.Supported)}.");
        Guard.Against(!ClientProfiles.Fapi2AuthMethods.Contains(settings.TokenEndpointAuthMethod), "token_endpoint_auth_method",
            $"A fapi2 client authenticates with one of: {string.Join(", ", ClientProfiles.Fapi2AuthMethods)}.");
        var algorithms = string.Join(", ", ClientProfiles.Fapi2Algorithms);
        Guard.Against(settings.TokenEndpointAuthSigningAlg is { } a && !ClientProfiles.Fapi2Algorithms.Contains(a), "token_endpoint_auth_signing_alg",
            $"A fapi2 client signs with one of: {algorithms}.");
        Guard.Against(settings.RequestObjectSigningAlg is { } r && !ClientProfiles.Fapi2Algorithms.Contains(r), "request_object_signing_alg",
            $"A fapi2 client signs with one of: {algorithms}.");
        Guard.Against(!ClientProfiles.Fapi2Algorithms.Contains(settings.IdTokenSignedResponseAlg), "id_token_signed_response_alg",
            $"ID tokens for a fapi2 client are signed with one of: {algorithms}.");
    }

    private static bool IsDistinguishedName(string dn)
    {
        if (dn.Length is 0 or > 1000)
        {
            return false;
        }

        try
        {
            return new System.Security.Cryptography.X509Certificates.X500DistinguishedName(dn).RawData.Length > 0;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static void ValidateUris(IReadOnlyList<string> uris, string field)
    {
        Guard.Against(uris.Count > MaxRedirectUris, field, $"At most {MaxRedirectUris} URIs may be registered.");
        foreach (var uri in uris)
        {
            var error = RedirectUriRules.Validate(uri);
            Guard.Against(error is not null, field, $"'{Printable(uri)}' {error}.");
        }

        Guard.Against(uris.Distinct(StringComparer.Ordinal).Count() != uris.Count, field, "URIs must not repeat.");
    }

    /// <summary>Keeps echoed input short and free of control characters.</summary>
    private static string Printable(string value)
    {
        var clean = new string(value.Select(c => c < 0x20 || c == 0x7F ? '?' : c).Take(100).ToArray());
        return value.Length > 100 ? clean + "…" : clean;
    }

    /// <summary>Applies settings already validated by the caller.</summary>
    private void Apply(ClientSettings settings, DateTimeOffset now)
    {
        ClientName = settings.ClientName;
        TokenEndpointAuthMethod = settings.TokenEndpointAuthMethod;
        Type = TypeOf(settings);
        _redirectUris = [.. settings.RedirectUris];
        _postLogoutRedirectUris = [.. settings.PostLogoutRedirectUris];
        _grantTypes = [.. settings.GrantTypes];
        _allowedScopes = [.. settings.AllowedScopes];
        AccessTokenLifetime = settings.AccessTokenLifetime;
        Audience = settings.Audience;
        RequireConsent = settings.RequireConsent;
        IdTokenSignedResponseAlg = settings.IdTokenSignedResponseAlg;
        Jwks = settings.Jwks;
        JwksUri = settings.JwksUri;
        TokenEndpointAuthSigningAlg = settings.TokenEndpointAuthSigningAlg;
        TlsClientAuthSubjectDn = settings.TlsClientAuthSubjectDn;
        TlsClientAuthSanDns = settings.TlsClientAuthSanDns;
        DPoPBoundAccessTokens = settings.DPoPBoundAccessTokens;
        TlsClientCertificateBoundAccessTokens = settings.TlsClientCertificateBoundAccessTokens;
        RequirePushedAuthorizationRequests = settings.RequirePushedAuthorizationRequests;
        RequestObjectSigningAlg = settings.RequestObjectSigningAlg;
        BackchannelLogoutUri = settings.BackchannelLogoutUri;
        BackchannelLogoutSessionRequired = settings.BackchannelLogoutSessionRequired;
        FrontchannelLogoutUri = settings.FrontchannelLogoutUri;
        FrontchannelLogoutSessionRequired = settings.FrontchannelLogoutSessionRequired;
        Profile = settings.Profile;
        RequireMfa = settings.RequireMfa;
        _defaultAcrValues = [.. settings.DefaultAcrValues];
        TokenRateLimit = settings.TokenRateLimit;
        _tokenExchangeAudiences = [.. settings.TokenExchange.Audiences];
        _tokenExchangeSubjectClients = [.. settings.TokenExchange.SubjectClients];
        _tokenExchangeSubjectIssuers = [.. settings.TokenExchange.SubjectIssuers];
        TokenExchangeImpersonation = settings.TokenExchange.Impersonation;
        UpdatedAt = now;
    }

    private bool HasSettings(ClientSettings settings) =>
        ClientName == settings.ClientName
        && TokenEndpointAuthMethod == settings.TokenEndpointAuthMethod
        && _redirectUris.SequenceEqual(settings.RedirectUris)
        && _postLogoutRedirectUris.SequenceEqual(settings.PostLogoutRedirectUris)
        && _grantTypes.SequenceEqual(settings.GrantTypes)
        && _allowedScopes.SequenceEqual(settings.AllowedScopes)
        && AccessTokenLifetime == settings.AccessTokenLifetime
        && Audience == settings.Audience
        && RequireConsent == settings.RequireConsent
        && IdTokenSignedResponseAlg == settings.IdTokenSignedResponseAlg
        && Jwks == settings.Jwks
        && JwksUri == settings.JwksUri
        && TokenEndpointAuthSigningAlg == settings.TokenEndpointAuthSigningAlg
        && TlsClientAuthSubjectDn == settings.TlsClientAuthSubjectDn
        && TlsClientAuthSanDns == settings.TlsClientAuthSanDns
        && DPoPBoundAccessTokens == settings.DPoPBoundAccessTokens
        && TlsClientCertificateBoundAccessTokens == settings.TlsClientCertificateBoundAccessTokens
        && RequirePushedAuthorizationRequests == settings.RequirePushedAuthorizationRequests
        && RequestObjectSigningAlg == settings.RequestObjectSigningAlg
        && BackchannelLogoutUri == settings.BackchannelLogoutUri
        && BackchannelLogoutSessionRequired == settings.BackchannelLogoutSessionRequired
        && FrontchannelLogoutUri == settings.FrontchannelLogoutUri
        && FrontchannelLogoutSessionRequired == settings.FrontchannelLogoutSessionRequired
        && Profile == settings.Profile
        && RequireMfa == settings.RequireMfa
        && _defaultAcrValues.SequenceEqual(settings.DefaultAcrValues)
        && TokenRateLimit == settings.TokenRateLimit
        && TokenExchange.SameAs(settings.TokenExchange);

    private static void RequireSecretRulesFor(string method, SecretHash? secret, byte[]? protectedSecret, bool requireSecretIfNeeded)
    {
        Guard.Against(method == TokenEndpointAuthMethods.None && secret is not null, "client_secret",
            "A public client (token_endpoint_auth_method=none) must not have a secret.");
        Guard.Against(!TokenEndpointAuthMethods.UsesSecret(method) && secret is not null, "client_secret",
            $"A client authenticating with {method} has no secret.");
        Guard.Against(TokenEndpointAuthMethods.UsesSecret(method) && secret is null && requireSecretIfNeeded, "client_secret",
            "A client authenticating with a secret method needs a secret.");
        if (secret is not null)
        {
            RequireProtectedSecretIfKeyed(method, protectedSecret);
        }
    }

    /// <summary>client_secret_jwt verifies an HMAC keyed with the secret itself, so a hash alone cannot serve (OIDC Core §9).</summary>
    private static void RequireProtectedSecretIfKeyed(string method, byte[]? protectedSecret) =>
        Guard.Against(method == TokenEndpointAuthMethods.ClientSecretJwt && protectedSecret is not { Length: > 0 }, "client_secret",
            "A client_secret_jwt secret must be stored encrypted for use as a MAC key.");

    /// <summary>A dynamically registered client is never first-party: its users are always asked to consent.</summary>
    private static void RequireConsentForDynamic(ClientSettings settings) =>
        Guard.Against(!settings.RequireConsent, "require_consent", "A dynamically registered client always requires consent.");

    private void RequireDynamic() =>
        Guard.Against(RegistrationSource != RegistrationSource.Dynamic, "registration_access_token",
            "Only a dynamically registered client is managed through the client configuration endpoint.");

    private void RequireSecretMethod() =>
        Guard.Against(!TokenEndpointAuthMethods.UsesSecret(TokenEndpointAuthMethod), "client_secret",
            $"A client authenticating with {TokenEndpointAuthMethod} cannot hold a secret.");
}
