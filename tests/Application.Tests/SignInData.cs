using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;

namespace AuthService.Application.Tests;

/// <summary>Clients, users, sessions and authorization requests for the sign-in, consent and code flow tests.</summary>
internal static class SignInData
{
    public const string ClientId = "web";
    public const string RedirectUri = "https://app.example/cb";
    public const string OtherRedirectUri = "https://app.example/other";
    public const string State = "st-123";
    public const string Nonce = "n-456";
    public const string Password = "correct horse battery";
    public const string WebSecret = "web-secret-0123456789";

    /// <summary>RFC 7636 Appendix B.</summary>
    public const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    public static readonly string Challenge = Pkce.ChallengeOf(Verifier);

    public static readonly TimeSpan WebAccessTokenLifetime = TimeSpan.FromMinutes(10);

    public static readonly SessionLifetimes Lifetimes = new(TimeSpan.FromHours(12), TimeSpan.FromHours(2));

    public static ClientSettings WebSettings(
        IReadOnlyList<string>? redirectUris = null,
        bool requireConsent = true,
        string authMethod = TokenEndpointAuthMethods.None,
        IReadOnlyList<string>? grantTypes = null,
        IReadOnlyList<string>? postLogoutRedirectUris = null) => new(
        ClientName: "Web",
        TokenEndpointAuthMethod: authMethod,
        RedirectUris: redirectUris ?? [RedirectUri],
        PostLogoutRedirectUris: postLogoutRedirectUris ?? ["https://app.example/bye"],
        GrantTypes: grantTypes ?? [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        AllowedScopes: ["openid", "profile", "email", "offline_access", "api.read"],
        AccessTokenLifetime: WebAccessTokenLifetime,
        Audience: null)
    {
        RequireConsent = requireConsent,
    };

    /// <summary>A public code-flow client (PKCE, no secret) unless <paramref name="settings"/> says otherwise.</summary>
    public static Client RegisterWeb(string clientId = ClientId, ClientSettings? settings = null)
    {
        settings ??= WebSettings();
        var secret = Client.TypeOf(settings) == ClientType.Confidential ? SecretHash.Compute(WebSecret) : null;
        return Client.Register(clientId, settings, secret, TestClients.RegisteredAt);
    }

    public static User RegisterUser(
        string username = "alice", string? email = "alice@example.com", string? passwordHash = FakePasswordHasher.CurrentPrefix + Password,
        string? name = "Alice Liddell", Guid? id = null, string securityStamp = "stamp-1") =>
        User.Register(id ?? Guid.NewGuid(), new UserProfile(username, email, email is not null, name), passwordHash, securityStamp, TestClock.Start);

    /// <summary>A copy of <paramref name="user"/> as the store would hand it back on a fresh read.</summary>
    public static User FreshCopy(User user) =>
        User.Register(user.Id, new UserProfile(user.Username, user.Email, user.EmailVerified, user.Name), user.PasswordHash, user.SecurityStamp, user.CreatedAt);

    /// <summary>Starts a session for <paramref name="user"/> at <paramref name="now"/>; returns it with the browser's handle.</summary>
    public static (UserSession Session, string Handle) StartSession(User user, DateTimeOffset now)
    {
        var handle = OpaqueToken.New();
        return (UserSession.Start(Guid.NewGuid(), OpaqueToken.HashOf(handle), user.Id, user.SecurityStamp, Lifetimes, now), handle);
    }

    /// <summary>A copy of an untouched session as the store would hand it back on a fresh read.</summary>
    public static UserSession FreshCopy(UserSession session) =>
        UserSession.Start(session.Id, session.HandleHash, session.UserId, session.SecurityStamp, Lifetimes, session.AuthenticatedAt);

    /// <summary>A valid authorization request of the web client, to be changed per test.</summary>
    public static Dictionary<string, string> Request(string scope = "openid profile api.read") => new(StringComparer.Ordinal)
    {
        ["client_id"] = ClientId,
        ["redirect_uri"] = RedirectUri,
        ["response_type"] = "code",
        ["scope"] = scope,
        ["state"] = State,
        ["nonce"] = Nonce,
        ["code_challenge"] = Challenge,
        ["code_challenge_method"] = "S256",
    };

    public static Dictionary<string, string> With(this Dictionary<string, string> parameters, string name, string? value)
    {
        if (value is null)
        {
            parameters.Remove(name);
        }
        else
        {
            parameters[name] = value;
        }

        return parameters;
    }
}
