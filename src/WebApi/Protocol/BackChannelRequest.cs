using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// The common first step of the token, introspection and revocation endpoints: the form, then the
/// client credentials. Errors are values like the handlers' (<see cref="ProtocolResult{T}"/>);
/// <see cref="OAuthResults"/> turns them into HTTP.
/// </summary>
public sealed record BackChannelRequest(ProtocolForm Form, ClientCredentials Credentials, string? RemoteAddress)
{
    public static async Task<ProtocolResult<BackChannelRequest>> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var form = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
        if (!form.IsSuccess)
        {
            return form.Error;
        }

        var credentials = ClientCredentialReader.Read(http.Request, form.Value);
        return credentials.IsSuccess
            ? new BackChannelRequest(
                form.Value,
                credentials.Value with { Certificate = http.RequestServices.GetRequiredService<MutualTls.ClientCertificateSource>().Find(http) },
                http.Connection.RemoteIpAddress?.ToString())
            : credentials.Error;
    }

    /// <summary>The request plus the <c>token</c> parameter that introspection and revocation require (RFC 7662 §2.1, RFC 7009 §2.1).</summary>
    public static async Task<ProtocolResult<(BackChannelRequest Request, string Token)>> ReadWithTokenAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var request = await ReadAsync(http, cancellationToken);
        if (!request.IsSuccess)
        {
            return request.Error;
        }

        return request.Value.Form[OAuthParameters.Token] is { } token ? (request.Value, token) : OAuthError.MissingToken;
    }
}
