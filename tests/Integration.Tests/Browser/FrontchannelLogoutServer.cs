using System.Text.Json.Nodes;
using Xunit;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// <see cref="BrowserFlowServer"/> plus two relying parties with a <c>frontchannel_logout_uri</c>, each on its own
/// loopback origin (a <see cref="CallbackListener"/> that records what the browser's iframes ask for): FA with
/// <c>frontchannel_logout_session_required</c> and a post-logout redirect URI, FB without it and with a query of its own.
/// </summary>
public sealed class FrontchannelLogoutServer : BrowserFlowServer, IAsyncLifetime
{
    public const string FA = "FA";
    public const string FB = "FB";
    public const string Secret = "fc-secret-0123456789abcdef";

    public CallbackListener RpA { get; } = CallbackListener.Start();

    public CallbackListener RpB { get; } = CallbackListener.Start();

    public string RpALogoutUri => $"http://127.0.0.1:{RpA.Port}/frontchannel-logout";

    public string RpBLogoutUri => $"http://127.0.0.1:{RpB.Port}/frontchannel-logout?rp=b";

    /// <summary>FA's registered post_logout_redirect_uri (on the callback listener).</summary>
    public string PostLogoutRedirectUri => $"http://127.0.0.1:{Callback.Port}/bye";

    protected override void ExtendSeed(JsonObject seed)
    {
        seed["clients"]!.AsArray().Add(RelyingParty(FA, RpALogoutUri, sessionRequired: true));
        seed["clients"]!.AsArray().Add(RelyingParty(FB, RpBLogoutUri, sessionRequired: false));
    }

    private JsonObject RelyingParty(string clientId, string logoutUri, bool sessionRequired) => new()
    {
        ["client_id"] = clientId,
        ["client_secret"] = Secret,
        ["token_endpoint_auth_method"] = "client_secret_basic",
        ["grant_types"] = new JsonArray("authorization_code"),
        ["scope"] = "openid profile",
        ["redirect_uris"] = new JsonArray(Callback.RedirectUri, new Uri(new Uri(logoutUri), "/callback").ToString()), // Front-Channel Logout 1.0 §2: same origin
        ["post_logout_redirect_uris"] = new JsonArray(PostLogoutRedirectUri),
        ["require_consent"] = false,
        ["frontchannel_logout_uri"] = logoutUri,
        ["frontchannel_logout_session_required"] = sessionRequired,
    };

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        RpA.Dispose();
        RpB.Dispose();
    }
}
