using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Bff;

/// <summary>The BFF's pages: home, sign-in, sign-out, and the session's user as JSON.</summary>
public static class BffEndpoints
{
    public static IResult Home(ClaimsPrincipal user)
    {
        var body = user.Identity?.IsAuthenticated == true
            ? $$"""
              <p>Signed in as <strong id="user">{{WebUtility.HtmlEncode(user.Identity.Name ?? user.FindFirstValue("sub"))}}</strong>.</p>
              <button id="call">Call the API</button> <pre id="result"></pre>
              <form method="post" action="/logout"><button id="logout">Sign out</button></form>
              <script>
                document.getElementById('call').onclick = async () => {
                  const response = await fetch('/api/me', { headers: { 'X-CSRF': '1' } });
                  document.getElementById('result').textContent = response.status + ' ' + await response.text();
                };
              </script>
              """
            : """<p>Not signed in.</p><p><a id="login" href="/login">Sign in</a></p>""";
        return Results.Content($"<!doctype html><html><head><title>BFF sample</title></head><body><h1>BFF sample</h1>{body}</body></html>", "text/html; charset=utf-8");
    }

    /// <summary>Starts the code flow; <paramref name="returnUrl"/> only within this site (no open redirect).</summary>
    public static IResult Login(string? returnUrl) =>
        TypedResults.Challenge(new AuthenticationProperties
        {
            RedirectUri = returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/",
        }, [OpenIdConnectDefaults.AuthenticationScheme]);

    /// <summary>
    /// Signs out: revokes the refresh token at AuthService (RFC 7009), ends the session at AuthService by RP-initiated logout
    /// (the handler sends id_token_hint and post_logout_redirect_uri), and removes the local session. POST only, and the
    /// SameSite=Lax cookie is not sent on another site's POST, so no other site can sign the user out.
    /// </summary>
    public static async Task LogoutAsync(HttpContext http, IHttpClientFactory clients, IOptionsMonitor<OpenIdConnectOptions> oidc, IOptions<BffOptions> options)
    {
        if (await http.GetTokenAsync("refresh_token") is { } refreshToken)
        {
            var configuration = await oidc.Get(OpenIdConnectDefaults.AuthenticationScheme).ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            if (configuration.AdditionalData.TryGetValue("revocation_endpoint", out var endpoint) && endpoint is string revocation)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, revocation)
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshToken, ["token_type_hint"] = "refresh_token" }),
                };
                request.Headers.Authorization = TokenRefresher.BasicCredentials(options.Value);
                using var response = await clients.CreateClient().SendAsync(request, http.RequestAborted);
            }
        }

        // The OpenID Connect handler first (it reads id_token_hint from the session), then the session itself.
        await http.SignOutAsync(OpenIdConnectDefaults.AuthenticationScheme, new AuthenticationProperties { RedirectUri = "/" });
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Who is signed in, for the browser's script: claims of the ID token, never a token.</summary>
    public static IResult User(ClaimsPrincipal user) => TypedResults.Ok(new
    {
        sub = user.FindFirstValue("sub"),
        name = user.FindFirstValue("name"),
        sid = user.FindFirstValue("sid"),
    });
}
