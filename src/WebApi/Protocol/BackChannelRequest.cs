using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// The common first step of the token, introspection and revocation endpoints: the form, then the
/// client credentials. <see cref="Challenge"/> decides whether an <c>invalid_client</c> becomes a 401
/// with <c>WWW-Authenticate</c>: when Basic was used (RFC 6749 §5.2), or always where the endpoint's
/// RFC says so (<paramref name="alwaysChallenge"/>: introspection, RFC 7662 §2.3).
/// </summary>
public sealed record BackChannelRequest(ProtocolForm Form, ClientCredentials Credentials, bool Challenge, string? RemoteAddress)
{
    public static async Task<(BackChannelRequest? Request, IResult? Failure)> ReadAsync(
        HttpContext http, CancellationToken cancellationToken, bool alwaysChallenge = false)
    {
        var (form, formError) = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
        if (form is null)
        {
            return (null, OAuthResults.Error(formError!, usedBasicAuthentication: alwaysChallenge));
        }

        var (credentials, credentialError) = ClientCredentialReader.Read(http.Request, form, out var usedBasic);
        if (credentials is null)
        {
            return (null, OAuthResults.Error(credentialError!, usedBasic || alwaysChallenge));
        }

        return (new BackChannelRequest(form, credentials, usedBasic || alwaysChallenge, http.Connection.RemoteIpAddress?.ToString()), null);
    }

    public IResult Fail(OAuthError error) => OAuthResults.Error(error, Challenge);
}
