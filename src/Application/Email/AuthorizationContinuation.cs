using System.Text.Json;
using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Domain.Email;

namespace AuthService.Application.Email;

/// <summary>
/// The authorization request a sign-in link continues: the parameters the sign-in page's form carries (a plain request,
/// or <c>client_id</c> with the sealed pushed or signed request and the prompts the pages may narrow), validated when the
/// link is asked for and again, by the same <see cref="AuthorizationRequestResolver"/>, when it is used. Stored as a JSON
/// object with the link's token, never in the link (RFC 9700 §4.11.2).
/// </summary>
public sealed class AuthorizationContinuation(AuthorizationRequestResolver requests)
{
    /// <summary>The stored request validated again; an error page when the stored text is not a request at all.</summary>
    public async Task<AuthorizationValidation> ResolveAsync(SignInContinuation continuation, CancellationToken cancellationToken)
    {
        Dictionary<string, string>? parameters;
        try
        {
            parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(continuation.Request ?? "");
        }
        catch (JsonException)
        {
            parameters = null;
        }

        return parameters is null
            ? new AuthorizationValidation.ErrorPage(Common.Protocol.OAuthError.SealedRequestInvalid)
            : await requests.ResolveAsync(parameters, cancellationToken);
    }

    /// <summary>The continuation of a valid request; null when it is too long to store (the page says so instead).</summary>
    public static SignInContinuation? Of(AuthorizationRequest authorization)
    {
        var text = JsonSerializer.Serialize(authorization.Parameters);
        return text.Length <= SignInContinuation.MaxRequestLength ? SignInContinuation.Authorization(text) : null;
    }
}
