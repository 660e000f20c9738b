using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthService.Integration.Tests.Federation.Upstreams;

/// <summary>One of GitHub's e-mail entries (<c>GET /user/emails</c>).</summary>
public sealed record GitHubEmail(string Email, bool Primary, bool Verified);

/// <summary>A GitHub account: the numeric <paramref name="Id"/> is what a client keys on; <paramref name="Name"/> may be unset.</summary>
public sealed record GitHubUser(long Id, string Login, string? Name, string? PublicEmail, IReadOnlyList<GitHubEmail> Emails);

/// <summary>
/// GitHub's OAuth app endpoints and the two REST calls a client makes, on a loopback port, behaving like GitHub where it
/// matters to a client ("Authorizing OAuth apps", REST "Users" and "Emails"):
/// <list type="bullet">
/// <item><c>GET /login/oauth/authorize</c>: an unknown <c>client_id</c> is a 404 page, a <c>redirect_uri</c> other than the
/// registered callback(s) redirects to the first callback with <c>error=redirect_uri_mismatch</c>; then either approves at once
/// as <see cref="AutoApproveAs"/> or shows a form (<c>#github-login</c>, <c>#github-authorize</c>, <c>#github-cancel</c>) posted
/// back to the same path. Approval redirects with <c>code</c> and <c>state</c> (no <c>iss</c>); cancel with <c>error=access_denied</c>.</item>
/// <item><c>POST /login/oauth/access_token</c>: the client id and secret (in the body), the code (single use, ten minutes,
/// for this client and redirect URI) and the PKCE verifier when the request had a challenge (S256). Errors are a 200 with
/// <c>error</c> (<c>bad_verification_code</c>, <c>incorrect_client_credentials</c>, <c>redirect_uri_mismatch</c>), as GitHub
/// does; JSON only when asked with <c>Accept: application/json</c>, else form-encoded.</item>
/// <item><c>GET /user</c> and <c>GET /user/emails</c>: a <c>Bearer</c> (or <c>token</c>) access token, 401 otherwise, and a
/// <c>User-Agent</c>, 403 otherwise; the e-mail list needs the <c>user:email</c> scope, else 404.</item>
/// </list>
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string ClientId = "Iv1.fakegithub0001";
    public const string ClientSecret = "fake-github-client-secret-0123456789";

    /// <summary>A verified primary address, and an old unverified one.</summary>
    public static readonly GitHubUser Octo = new(583231, "octocat", "Octo Cat", "octo-public@users.example",
        [new("octo@users.example", true, true), new("octo-old@users.example", false, false)]);

    /// <summary>No name (the login stands in); the primary address unverified, a second one verified.</summary>
    public static readonly GitHubUser Nameless = new(1002, "nameless-dev", null, null,
        [new("nameless@users.example", true, false), new("nameless-work@users.example", false, true)]);

    /// <summary>No verified address at all.</summary>
    public static readonly GitHubUser Unverified = new(1003, "unverified-dev", "Una Verified", null,
        [new("una@users.example", true, false)]);

    public static readonly IReadOnlyList<GitHubUser> Users = [Octo, Nameless, Unverified];

    private readonly WebApplication _app;
    private readonly IReadOnlyList<string> _redirectUris;
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (GitHubUser User, string Scope)> _tokens = new(StringComparer.Ordinal);

    public FakeGitHub(params string[] redirectUris)
    {
        _redirectUris = redirectUris;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/login/oauth/authorize", (HttpContext context) => Authorize(context, context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())));
        // Typed as Func so that minimal APIs write the IResult (a lambda taking only HttpContext would be a RequestDelegate).
        _app.MapPost("/login/oauth/authorize", (Func<HttpContext, Task<IResult>>)(async context =>
            Authorize(context, (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString()))));
        _app.MapPost("/login/oauth/access_token", (Func<HttpContext, Task<IResult>>)AccessTokenAsync);
        _app.MapGet("/user", (HttpContext context) => Api(context, requiredScope: null, user => Results.Json(new Dictionary<string, object?>
        {
            ["login"] = user.Login,
            ["id"] = user.Id,
            ["node_id"] = $"MDQ6VXNlcj{user.Id}",
            ["type"] = "User",
            ["name"] = user.Name,
            ["email"] = user.PublicEmail,
        })));
        _app.MapGet("/user/emails", (HttpContext context) => Api(context, requiredScope: "user:email", user => Results.Json(
            user.Emails.Select(e => new { email = e.Email, primary = e.Primary, verified = e.Verified, visibility = e.Primary ? "public" : (string?)null }))));
        _app.StartAsync().GetAwaiter().GetResult();
        BaseAddress = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string BaseAddress { get; }

    public string AuthorizationEndpoint => $"{BaseAddress}/login/oauth/authorize";

    public string TokenEndpoint => $"{BaseAddress}/login/oauth/access_token";

    /// <summary>GitHub's <c>https://api.github.com/user</c>; the e-mail list is <c>{UserEndpoint}/emails</c>.</summary>
    public string UserEndpoint => $"{BaseAddress}/user";

    /// <summary>The login approved without a page; null shows the form.</summary>
    public string? AutoApproveAs { get; set; }

    /// <summary>Each token request's <c>Accept</c> header (GitHub answers form-encoded unless asked for JSON).</summary>
    public ConcurrentQueue<string> TokenRequestAcceptHeaders { get; } = new();

    /// <summary>
    /// Drives an authorization URL like a browser (the form when there is no auto-approval, as <paramref name="login"/>) and
    /// returns the parameters of the redirect to <paramref name="redirectUri"/>, which is never requested.
    /// </summary>
    public static async Task<Dictionary<string, string>> AuthorizeAsync(Uri authorizationUrl, Uri redirectUri, string login)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var first = await http.GetAsync(authorizationUrl);
        var response = first;
        HttpResponseMessage? posted = null;
        try
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var fields = QueryHelpers.ParseQuery(authorizationUrl.Query).Select(q => new KeyValuePair<string, string>(q.Key, q.Value.ToString())).ToList();
                fields.Add(new("github_login", login));
                fields.Add(new("authorize", "1"));
                posted = await http.PostAsync(new Uri(authorizationUrl.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(fields));
                response = posted;
            }

            Assert.True(response.StatusCode == HttpStatusCode.Found && response.Headers.Location is not null,
                $"GitHub answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var location = response.Headers.Location!;
            Assert.Equal(redirectUri.GetLeftPart(UriPartial.Path), location.GetLeftPart(UriPartial.Path));
            return QueryHelpers.ParseQuery(location.Query).ToDictionary(q => q.Key, q => q.Value.ToString());
        }
        finally
        {
            posted?.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Authorize(HttpContext context, IReadOnlyDictionary<string, string> request)
    {
        request.TryGetValue("state", out var state);
        if (request.GetValueOrDefault("client_id") != ClientId)
        {
            return Results.Content("<!DOCTYPE html><title>Not Found</title><h1>404</h1>", "text/html", statusCode: StatusCodes.Status404NotFound);
        }

        var redirectUri = request.GetValueOrDefault("redirect_uri") ?? _redirectUris[0];
        if (!_redirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return Results.Redirect(QueryHelpers.AddQueryString(_redirectUris[0], Answer(new()
            {
                ["error"] = "redirect_uri_mismatch",
                ["error_description"] = "The redirect_uri MUST match the registered callback URL for this application.",
                ["state"] = state,
            })));
        }

        if (request.ContainsKey("cancel"))
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, Answer(new()
            {
                ["error"] = "access_denied",
                ["error_description"] = "The user has denied your application access.",
                ["state"] = state,
            })));
        }

        var login = request.ContainsKey("authorize") ? request.GetValueOrDefault("github_login") : AutoApproveAs;
        if (Users.FirstOrDefault(u => u.Login == login) is not { } user)
        {
            return Results.Content(Form(request), "text/html; charset=utf-8");
        }

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        _codes[code] = new IssuedCode(user, redirectUri, request.GetValueOrDefault("scope") ?? string.Empty,
            request.GetValueOrDefault("code_challenge"), DateTimeOffset.UtcNow.AddMinutes(10));
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, Answer(new() { ["code"] = code, ["state"] = state })));
    }

    private async Task<IResult> AccessTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var accept = context.Request.Headers.Accept.ToString();
        TokenRequestAcceptHeaders.Enqueue(accept);
        var code = form["code"].ToString();
        Dictionary<string, string?> answer;
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            answer = Error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
        }
        else if (!_codes.TryRemove(code, out var issued) || issued.ExpiresAt < DateTimeOffset.UtcNow || !VerifierMatches(issued.CodeChallenge, form["code_verifier"].ToString()))
        {
            answer = Error("bad_verification_code", "The code passed is incorrect or expired.");
        }
        else if (form.TryGetValue("redirect_uri", out var redirectUri) && redirectUri != issued.RedirectUri)
        {
            answer = Error("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
        }
        else
        {
            var token = $"gho_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18))}";
            _tokens[token] = (issued.User, issued.Scope);
            answer = new() { ["access_token"] = token, ["scope"] = issued.Scope.Replace(' ', ','), ["token_type"] = "bearer" };
        }

        // GitHub answers errors with 200 too, and JSON only when asked for it.
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            ? Results.Json(answer)
            : Results.Text(QueryHelpers.AddQueryString(string.Empty, answer).TrimStart('?'), "application/x-www-form-urlencoded");
    }

    private IResult Api(HttpContext context, string? requiredScope, Func<GitHubUser, IResult> answer)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..]
            : authorization.StartsWith("token ", StringComparison.Ordinal) ? authorization[6..] : null;
        if (token is null || !_tokens.TryGetValue(token, out var grant))
        {
            return Results.Json(new { message = "Requires authentication", documentation_url = "https://docs.github.com/rest" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (string.IsNullOrEmpty(context.Request.Headers.UserAgent.ToString()))
        {
            return Results.Text("Request forbidden by administrative rules. Please make sure your request has a User-Agent header.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (requiredScope is not null && !grant.Scope.Split(' ', ',').Contains(requiredScope, StringComparer.Ordinal))
        {
            return Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, statusCode: StatusCodes.Status404NotFound);
        }

        return answer(grant.User);
    }

    /// <summary>RFC 7636 §4.6 when the authorization request had a challenge (S256 only); none: the verifier must be absent.</summary>
    private static bool VerifierMatches(string? challenge, string verifier) =>
        challenge is null
            ? verifier.Length == 0
            : Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_') == challenge;

    private static Dictionary<string, string?> Error(string error, string description) =>
        new() { ["error"] = error, ["error_description"] = description, ["error_uri"] = "https://docs.github.com/apps/oauth" };

    private static Dictionary<string, string?> Answer(Dictionary<string, string?> values) =>
        values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value);

    private static string Form(IReadOnlyDictionary<string, string> request)
    {
        var hidden = string.Concat(request.Where(r => r.Key is not ("github_login" or "authorize" or "cancel"))
            .Select(r => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(r.Key)}\" value=\"{WebUtility.HtmlEncode(r.Value)}\">"));
        return $"""
            <!DOCTYPE html><html><head><title>Authorize application</title></head><body>
            <h1>Authorize application</h1>
            <form method="post" action="/login/oauth/authorize">{hidden}
            <label>GitHub login <input name="github_login" id="github-login"></label>
            <button type="submit" name="authorize" value="1" id="github-authorize">Authorize</button>
            <button type="submit" name="cancel" value="1" id="github-cancel">Cancel</button>
            </form></body></html>
            """;
    }

    private sealed record IssuedCode(GitHubUser User, string RedirectUri, string Scope, string? CodeChallenge, DateTimeOffset ExpiresAt);
}
