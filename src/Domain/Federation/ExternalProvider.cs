using System.Text.RegularExpressions;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Federation.Events;

namespace AuthService.Domain.Federation;

/// <summary>
/// An upstream identity provider people may sign in with (docs/adr/0037): an OpenID Connect provider found through its
/// discovery document, or an OAuth 2.0 provider with a user-info URL (GitHub). AuthService is the upstream's client and
/// stays the issuer of every token its own clients see. The <see cref="Name"/> is the provider's address on this server
/// (its callback path and <c>idp_hint</c> value), unique and fixed once created. The client secret is held only encrypted
/// (<see cref="ProtectedSecret"/>; the encryption is infrastructure). A <see cref="Preset"/> fills in the well-known
/// providers' details and rules (<see cref="ExternalProviderPresets"/>).
/// </summary>
public sealed partial class ExternalProvider : AggregateRoot
{
    public const int MaxNameLength = 32;
    public const int MaxDisplayNameLength = 64;
    public const int MaxClientIdLength = 256;
    public const int MaxUrlLength = 2048;
    public const int MaxScopes = 32;
    public const int MaxDomains = 64;
    public const int MaxDomainLength = 253;
    public const int MaxClaimNameLength = 64;
    public const int MaxAppleIdLength = 32;

    /// <summary>The authorization response in the redirect's query (RFC 6749 §4.1.2).</summary>
    public const string Query = "query";

    /// <summary>The authorization response as an auto-submitted form post to the callback (OAuth 2.0 Form Post Response Mode §2).</summary>
    public const string FormPost = "form_post";

    public static readonly IReadOnlyList<string> ResponseModes = [Query, FormPost];

    private List<string> _scopes = [];
    private List<string> _allowedEmailDomains = [];

    // Null for a provider stored before the setting existed: the preset's.
    private string? _responseMode;

    private ExternalProvider()
    {
        Name = null!;
        DisplayName = null!;
        ClientId = null!;
        Claims = ClaimMapping.Default;
    }

    public Guid Id { get; private set; }

    /// <summary>Lower-case letters, digits and hyphens: the path segment of the callback and the <c>idp_hint</c> value.</summary>
    public string Name { get; private set; }

    /// <summary>The button's label on the sign-in page ("Google").</summary>
    public string DisplayName { get; private set; }

    public ExternalProtocol Protocol { get; private set; }

    /// <summary>google, microsoft, apple, github, or null for a generic provider.</summary>
    public string? Preset { get; private set; }

    /// <summary>This server's client id at the upstream.</summary>
    public string ClientId { get; private set; }

    /// <summary>The client secret (or, for Apple, the PKCS#8 PEM private key that signs the client secret JWT), encrypted; null for none.</summary>
    public byte[]? ProtectedSecret { get; private set; }

    /// <summary>OpenID Connect: the issuer, whose <c>/.well-known/openid-configuration</c> is read (OIDC Discovery §4).</summary>
    public string? Issuer { get; private set; }

    /// <summary>OAuth 2.0 providers (and overrides): the endpoints, absolute https URLs (http only for loopback).</summary>
    public string? AuthorizationEndpoint { get; private set; }

    public string? TokenEndpoint { get; private set; }

    public string? UserInfoEndpoint { get; private set; }

    /// <summary>The scopes asked of the upstream (OpenID Connect providers always get <c>openid</c>).</summary>
    public IReadOnlyList<string> Scopes => _scopes;

    /// <summary>Which upstream claims carry the subject, e-mail, its verification and the name.</summary>
    public ClaimMapping Claims { get; private set; }

    /// <summary>
    /// Whether an address this provider says is verified counts as verified here. Off: no address from this provider is
    /// verified here, so it never matches a local account for linking and never marks a provisioned account verified.
    /// </summary>
    public bool TrustEmailVerified { get; private set; }

    /// <summary>Whether a first sign-in with no matching local account creates one.</summary>
    public bool AutoProvision { get; private set; }

    /// <summary>When not empty, only people whose verified address is in one of these domains sign in through this provider.</summary>
    public IReadOnlyList<string> AllowedEmailDomains => _allowedEmailDomains;

    /// <summary>Apple: the team id (the client secret JWT's <c>iss</c>) and the key id (its <c>kid</c>).</summary>
    public string? AppleTeamId { get; private set; }

    public string? AppleKeyId { get; private set; }

    public bool Enabled { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// <see cref="Query"/> or <see cref="FormPost"/>, sent as <c>response_mode</c> when it is form_post (OAuth 2.0 Multiple
    /// Response Type Encoding Practices §2.1); the preset's unless set (Apple: form_post). A provider may want form_post so
    /// the code never appears in a URL (browser history, the upstream's and our access logs, a Referer).
    /// </summary>
    public string ResponseMode => _responseMode ?? ExternalProviderPresets.ResponseModeOf(Preset);

    /// <summary>The upstream answers with a form post (OAuth 2.0 Form Post Response Mode): Apple, or a provider set to form_post.</summary>
    public bool UsesFormPost => ResponseMode == FormPost;

    public static ExternalProvider Create(Guid id, string name, ExternalProviderSettings settings, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(id == Guid.Empty, "id", "A provider needs an id.");
        ValidateName(name);
        var provider = new ExternalProvider { Id = id, Name = name, CreatedAt = now };
        provider.Apply(settings, now);
        provider.Raise(new ExternalProviderChanged(id, name, "created", now));
        return provider;
    }

    public static bool IsValidName(string? name) => name is { Length: > 0 and <= MaxNameLength } && NamePattern().IsMatch(name);

    /// <summary>The name rule on its own, for a caller that must check the name before it encrypts the secret under it.</summary>
    public static void ValidateName(string? name) =>
        Guard.Against(!IsValidName(name), "name", $"A provider name is 1 to {MaxNameLength} lower-case letters, digits and hyphens, starting with a letter.");

    /// <summary>Replaces the settings; false when nothing differs. A null secret in <paramref name="settings"/> keeps the stored one.</summary>
    public bool Update(ExternalProviderSettings settings, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        var before = Snapshot();
        var updatedAt = UpdatedAt;
        Apply(settings, now);
        if (Snapshot() == before)
        {
            UpdatedAt = updatedAt;
            return false;
        }

        Raise(new ExternalProviderChanged(Id, Name, "updated", now));
        return true;
    }

    /// <summary>
    /// Marks the provider deleted, for the audit log; the caller removes it in the same save. Only a provider no identity
    /// is linked to may go (docs/adr/0037: disable one with links instead), which the caller checks, since the links are
    /// other aggregates.
    /// </summary>
    public void Delete(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Raise(new ExternalProviderDeleted(Id, Name, now));
    }

    /// <summary>
    /// The origin the browser is sent to for this provider's authorization endpoint: the configured endpoint's, or for
    /// OpenID Connect the issuer's (discovery names the endpoint; Google, Microsoft and Apple keep it on the issuer's origin).
    /// Sign-in pages allow it in their CSP <c>form-action</c>, which browsers also apply to the redirect after a form post.
    /// </summary>
    public string? AuthorizationOrigin() =>
        Uri.TryCreate(AuthorizationEndpoint ?? Issuer, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>Whether <paramref name="email"/>'s domain may come in through this provider (any, when no domain is listed).</summary>
    public bool AllowsEmailDomain(string? email)
    {
        if (_allowedEmailDomains.Count == 0)
        {
            return true;
        }

        var at = email?.LastIndexOf('@') ?? -1;
        return at > 0 && _allowedEmailDomains.Contains(email![(at + 1)..].ToLowerInvariant(), StringComparer.Ordinal);
    }

    private void Apply(ExternalProviderSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Guard.Against(settings.DisplayName?.Trim() is not { Length: > 0 and <= MaxDisplayNameLength } display || display.Any(char.IsControl),
            "display_name", $"A display name is 1 to {MaxDisplayNameLength} printable characters.");
        Guard.Against(settings.ClientId is not { Length: > 0 and <= MaxClientIdLength } || settings.ClientId.Any(char.IsControl),
            "client_id", $"The upstream client id is 1 to {MaxClientIdLength} printable characters.");
        Guard.Against(settings.Preset is not null && !ExternalProviderPresets.All.Contains(settings.Preset, StringComparer.Ordinal),
            "preset", $"The preset is one of {string.Join(", ", ExternalProviderPresets.All)}.");
        var protocol = settings.Preset is null ? settings.Protocol : ExternalProviderPresets.ProtocolOf(settings.Preset);
        Guard.Against(!Enum.IsDefined(protocol), "protocol", "The protocol is openid_connect or oauth2.");
        var issuer = settings.Issuer ?? (settings.Preset is null ? null : ExternalProviderPresets.IssuerOf(settings.Preset));
        var authorization = settings.AuthorizationEndpoint ?? ExternalProviderPresets.AuthorizationEndpointOf(settings.Preset);
        var token = settings.TokenEndpoint ?? ExternalProviderPresets.TokenEndpointOf(settings.Preset);
        var userInfo = settings.UserInfoEndpoint ?? ExternalProviderPresets.UserInfoEndpointOf(settings.Preset);
        ValidateUrl(issuer, "issuer");
        ValidateUrl(authorization, "authorization_endpoint");
        ValidateUrl(token, "token_endpoint");
        ValidateUrl(userInfo, "userinfo_endpoint");
        Guard.Against(protocol == ExternalProtocol.OpenIdConnect && issuer is null, "issuer", "An OpenID Connect provider needs its issuer.");
        Guard.Against(protocol == ExternalProtocol.OAuth2 && (authorization is null || token is null || userInfo is null),
            "authorization_endpoint", "An OAuth 2.0 provider needs its authorization, token and user-info endpoints.");

        var scopes = (settings.Scopes ?? ExternalProviderPresets.ScopesOf(settings.Preset, protocol)).Distinct(StringComparer.Ordinal).ToList();
        Guard.Against(scopes.Count > MaxScopes || scopes.Any(s => !ScopeRules.IsValidScopeToken(s)), "scopes", $"At most {MaxScopes} scopes, each a valid scope token (RFC 6749 §3.3).");
        if (protocol == ExternalProtocol.OpenIdConnect && !scopes.Contains("openid", StringComparer.Ordinal))
        {
            scopes.Insert(0, "openid");
        }

        var domains = (settings.AllowedEmailDomains ?? []).Select(d => d.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        Guard.Against(domains.Count > MaxDomains || domains.Any(d => d.Length is 0 or > MaxDomainLength || d.Contains('@', StringComparison.Ordinal) || d.Any(char.IsWhiteSpace)),
            "allowed_email_domains", $"At most {MaxDomains} domain names, without '@'.");

        var claims = settings.Claims ?? ExternalProviderPresets.ClaimsOf(settings.Preset);
        Guard.Against(!claims.IsValid, "claims", $"Each claim name is 1 to {MaxClaimNameLength} printable characters.");

        Guard.Against(settings.ResponseMode is not null && !ResponseModes.Contains(settings.ResponseMode, StringComparer.Ordinal),
            "response_mode", $"The response mode is {Query} or {FormPost}.");

        var isApple = settings.Preset == ExternalProviderPresets.Apple;
        Guard.Against(isApple && (settings.AppleTeamId is not { Length: > 0 and <= MaxAppleIdLength } || settings.AppleKeyId is not { Length: > 0 and <= MaxAppleIdLength }),
            "apple", "Apple needs the team id and the key id that sign the client secret.");
        Guard.Against(settings.ProtectedSecret is { Length: 0 }, "client_secret", "An encrypted secret must not be empty.");

        DisplayName = settings.DisplayName!.Trim();
        Protocol = protocol;
        Preset = settings.Preset;
        ClientId = settings.ClientId!;
        ProtectedSecret = settings.ProtectedSecret ?? ProtectedSecret;
        Issuer = issuer;
        AuthorizationEndpoint = authorization;
        TokenEndpoint = token;
        UserInfoEndpoint = userInfo;
        _scopes = scopes;
        // A copy: the mapping is stored as an owned value, and one instance (ClaimMapping.Default) shared by two providers
        // would be saved for one of them only.
        Claims = claims with { };
        TrustEmailVerified = settings.TrustEmailVerified;
        AutoProvision = settings.AutoProvision;
        _allowedEmailDomains = domains;
        AppleTeamId = isApple ? settings.AppleTeamId : null;
        AppleKeyId = isApple ? settings.AppleKeyId : null;
        Enabled = settings.Enabled;
        _responseMode = settings.ResponseMode ?? ExternalProviderPresets.ResponseModeOf(settings.Preset);
        UpdatedAt = now;
    }

    /// <summary>An absolute https URL without a fragment; http only on a loopback host (a test or a local upstream).</summary>
    private static void ValidateUrl(string? value, string field)
    {
        if (value is null)
        {
            return;
        }

        Guard.Against(value.Length > MaxUrlLength || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)),
            field, $"{field} must be an absolute https URL without a fragment.");
    }

    private (string, ExternalProtocol, string?, string, string, string?, string?, string?, string?, string, ClaimMapping, bool, bool, string, string?, string?, bool, string) Snapshot() =>
        (DisplayName, Protocol, Preset, ClientId, ProtectedSecret is null ? string.Empty : Convert.ToBase64String(ProtectedSecret), Issuer, AuthorizationEndpoint,
            TokenEndpoint, UserInfoEndpoint, string.Join(' ', _scopes), Claims, TrustEmailVerified, AutoProvision, string.Join(' ', _allowedEmailDomains),
            AppleTeamId, AppleKeyId, Enabled, ResponseMode);

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

public enum ExternalProtocol
{
    OpenIdConnect = 0,
    OAuth2 = 1,
}

/// <summary>
/// A provider's settings as an administrator or the seed file gives them. Null members take the preset's value;
/// <paramref name="ProtectedSecret"/> is the already encrypted secret (null keeps the stored one on an update).
/// </summary>
public sealed record ExternalProviderSettings(
    string? DisplayName,
    string? ClientId,
    ExternalProtocol Protocol = ExternalProtocol.OpenIdConnect,
    string? Preset = null,
    byte[]? ProtectedSecret = null,
    string? Issuer = null,
    string? AuthorizationEndpoint = null,
    string? TokenEndpoint = null,
    string? UserInfoEndpoint = null,
    IReadOnlyList<string>? Scopes = null,
    ClaimMapping? Claims = null,
    bool TrustEmailVerified = false,
    bool AutoProvision = false,
    IReadOnlyList<string>? AllowedEmailDomains = null,
    string? AppleTeamId = null,
    string? AppleKeyId = null,
    bool Enabled = true,
    string? ResponseMode = null)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"ExternalProviderSettings {{ DisplayName = {DisplayName}, Preset = {Preset}, ClientId = {ClientId} }}";
}

/// <summary>The upstream claim names (top-level members of the ID token or the user-info response) this server reads.</summary>
public sealed record ClaimMapping(string Subject, string Email, string EmailVerified, string Name)
{
    /// <summary>OpenID Connect Core §5.1 standard claims.</summary>
    public static readonly ClaimMapping Default = new("sub", "email", "email_verified", "name");

    public bool IsValid => new[] { Subject, Email, EmailVerified, Name }
        .All(n => n is { Length: > 0 and <= ExternalProvider.MaxClaimNameLength } && !n.Any(char.IsControl));
}
