using Microsoft.AspNetCore.WebUtilities;

namespace Bff;

/// <summary>
/// The OpenID Connect handler's back channel, sending the client secret as client_secret_basic (RFC 6749 §2.3.1). ASP.NET Core's
/// handler puts <c>client_secret</c> in the form body (client_secret_post) at the token and PAR endpoints, and AuthService accepts
/// only the method a client registered; this moves the secret into the Authorization header. A client registered with
/// <c>client_secret_post</c> does not need it.
/// </summary>
public sealed class ClientSecretBasicHandler(BffOptions options) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.Content is { Headers.ContentType.MediaType: "application/x-www-form-urlencoded" } content)
        {
            var form = QueryHelpers.ParseQuery(await content.ReadAsStringAsync(cancellationToken));
            if (form.ContainsKey("client_secret"))
            {
                request.Content = new FormUrlEncodedContent(form.Where(f => f.Key != "client_secret")
                    .Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString())));
                request.Headers.Authorization = TokenRefresher.BasicCredentials(options);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
