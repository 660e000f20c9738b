using System.Text.Json;
using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using Microsoft.Extensions.Logging;

namespace AuthService.Infrastructure.Federation;

/// <summary>
/// The OAuth 2.0 upstream with a user-info URL (docs/adr/0037 "Protocols"), generic or GitHub: the authorization code
/// grant (RFC 6749 §4.1) with PKCE S256 (RFC 7636; GitHub supports it), the secret in the token request's body, then
/// the person read from the user-info URL with the access token (RFC 6750 §2.1). There is no ID token, so no <c>amr</c>.
/// GitHub: the subject is the numeric <c>id</c> (the <c>login</c> can be renamed and reused), the name falls back to the
/// <c>login</c>, and the e-mail comes from the user's e-mail list, where only a <c>verified</c> entry is a verified
/// address (the profile's public <c>email</c> is whatever the person typed).
/// </summary>
internal sealed partial class OAuth2Protocol(UpstreamHttp http, IUpstreamClientSecret secrets, ILogger<OAuth2Protocol> logger) : IUpstreamProtocol
{
    /// <summary>GitHub's REST API media type ("Getting started with the REST API": Accept header).</summary>
    public const string GitHubMediaType = "application/vnd.github+json";

    private const int MaxEmails = 100;

    public ExternalProtocol Protocol => ExternalProtocol.OAuth2;

    public Task<Uri> BuildAuthorizationUrlAsync(ExternalProvider provider, UpstreamChallenge challenge, CancellationToken cancellationToken)
    {
        var github = IsGitHub(provider);
        return Task.FromResult(UpstreamRequests.AuthorizationUrl(provider.AuthorizationEndpoint!,
        [
            new("response_type", "code"),
            new("client_id", provider.ClientId),
            new("redirect_uri", challenge.RedirectUri.AbsoluteUri),
            new("scope", provider.Scopes.Count > 0 ? string.Join(' ', provider.Scopes) : null),
            new("state", challenge.State),
            new("code_challenge", UpstreamRequests.S256(challenge.CodeVerifier)),
            new("code_challenge_method", "S256"),
            // GitHub's "Authorizing OAuth apps": login suggests the account; others take OIDC's login_hint, if anything.
            new(github ? "login" : "login_hint", challenge.LoginHint),
            // OAuth 2.0 Multiple Response Type Encoding Practices §2.1: a provider set to form_post answers by a form post.
            new("response_mode", provider.UsesFormPost ? ExternalProvider.FormPost : null),
        ]));
    }

    public async Task<UpstreamOutcome> CompleteAsync(ExternalProvider provider, UpstreamCallback callback, CancellationToken cancellationToken)
    {
        var parameters = callback.Parameters;

        // RFC 9207 §2.4 where it can apply: a provider configured with its issuer checks an iss it is sent.
        if (parameters.TryGetValue("iss", out var iss) && provider.Issuer is { } issuer && iss != issuer)
        {
            return Refuse(provider, new UpstreamOutcome.Refused("issuer_mismatch"), "iss names another issuer");
        }

        var answer = await UpstreamRequests.RedeemAnswerAsync(
            http, secrets, new Uri(provider.TokenEndpoint!), provider, callback, basic: false, cancellationToken);
        if (answer.Refusal is { } refused)
        {
            return Refuse(provider, refused, answer.LogDetail!);
        }

        var github = IsGitHub(provider);
        var userInfoEndpoint = new Uri(provider.UserInfoEndpoint!);
        var (user, failure) = await GetJsonAsync(userInfoEndpoint, github, answer.AccessToken!, cancellationToken);
        if (failure is not null)
        {
            return Refuse(provider, failure, "the user-info URL gave no usable answer");
        }

        var subject = UpstreamRequests.IdentifierOf(user, provider.Claims.Subject);
        if (!ExternalIdentity.IsValidSubject(subject))
        {
            return Refuse(provider, new UpstreamOutcome.Refused("subject_invalid"), $"the member {provider.Claims.Subject} is not a valid subject");
        }

        string? email;
        bool emailVerified;
        string? name;
        if (github)
        {
            (email, emailVerified, failure) = await GitHubEmailAsync(userInfoEndpoint, user, answer.AccessToken!, cancellationToken);
            if (failure is not null)
            {
                return Refuse(provider, failure, "the e-mail list gave no usable answer");
            }

            name = UpstreamRequests.DisplayValue(UpstreamRequests.StringOf(user, provider.Claims.Name)) ?? UpstreamRequests.StringOf(user, "login");
        }
        else
        {
            email = UpstreamRequests.StringOf(user, provider.Claims.Email);
            emailVerified = UpstreamRequests.IsTrue(user, provider.Claims.EmailVerified);
            name = UpstreamRequests.StringOf(user, provider.Claims.Name);
        }

        var safeEmail = UpstreamRequests.DisplayValue(email, 320);
        return new UpstreamOutcome.Authenticated(new UpstreamIdentity(subject!, safeEmail, safeEmail is not null && emailVerified, UpstreamRequests.DisplayValue(name), []));
    }

    private static bool IsGitHub(ExternalProvider provider) => provider.Preset == ExternalProviderPresets.GitHub;

    /// <summary>
    /// GitHub's "List email addresses for the authenticated user" (<c>GET /user/emails</c>, scope <c>user:email</c>):
    /// the primary address when it is verified, else the first verified one; none verified: the primary (or the
    /// profile's public address), not verified. Without the scope GitHub answers 404: the profile's address, not verified.
    /// </summary>
    private async Task<(string? Email, bool Verified, UpstreamOutcome.Refused? Failure)> GitHubEmailAsync(
        Uri userInfoEndpoint, JsonElement user, string accessToken, CancellationToken cancellationToken)
    {
        var profileEmail = UpstreamRequests.StringOf(user, "email");
        var response = await http.GetAsync(new Uri(userInfoEndpoint.AbsoluteUri.TrimEnd('/') + ExternalProviderPresets.GitHubEmailsPath), GitHubMediaType, accessToken, cancellationToken);
        if (response.Failure is not null)
        {
            return (null, false, new UpstreamOutcome.Refused("userinfo_unavailable", Unavailable: true));
        }

        if (!response.IsSuccess)
        {
            return (profileEmail, false, null);
        }

        List<(string Email, bool Primary, bool Verified)> emails = [];
        try
        {
            using var document = JsonDocument.Parse(response.Body!);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, false, new UpstreamOutcome.Refused("userinfo_error"));
            }

            foreach (var entry in document.RootElement.EnumerateArray().Take(MaxEmails))
            {
                if (UpstreamRequests.StringOf(entry, "email") is { } address)
                {
                    emails.Add((address, entry.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.True,
                        entry.TryGetProperty("verified", out var v) && v.ValueKind == JsonValueKind.True));
                }
            }
        }
        catch (JsonException)
        {
            return (null, false, new UpstreamOutcome.Refused("userinfo_error"));
        }

        var verified = emails.FirstOrDefault(e => e.Primary && e.Verified) is { Email: not null } primary ? primary : emails.FirstOrDefault(e => e.Verified);
        if (verified.Email is not null)
        {
            return (verified.Email, true, null);
        }

        return (emails.FirstOrDefault(e => e.Primary).Email ?? profileEmail, false, null);
    }

    private async Task<(JsonElement Value, UpstreamOutcome.Refused? Failure)> GetJsonAsync(Uri uri, bool github, string accessToken, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(uri, github ? GitHubMediaType : "application/json", accessToken, cancellationToken);
        if (response.Failure is not null)
        {
            return (default, new UpstreamOutcome.Refused("userinfo_unavailable", Unavailable: true));
        }

        return response.IsSuccess && UpstreamRequests.ParseObject(response.Body!) is { } value
            ? (value, null)
            : (default, new UpstreamOutcome.Refused("userinfo_error", Unavailable: response.Status >= 500));
    }

    private UpstreamOutcome.Refused Refuse(ExternalProvider provider, UpstreamOutcome.Refused refusal, string detail)
    {
        LogRefused(logger, provider.Name, refusal.Reason, detail);
        return refusal;
    }

    [LoggerMessage(EventId = 2153, Level = LogLevel.Warning, Message = "Upstream provider {Provider} (OAuth 2.0): sign-in refused ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string provider, string reason, string detail);
}
