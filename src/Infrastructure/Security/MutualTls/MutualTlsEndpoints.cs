using AuthService.Application.Common.Interfaces;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security.MutualTls;

/// <summary>
/// The public base URL of the mutual-TLS endpoints (RFC 8705 §5): <c>Auth:MutualTls:PublicUrl</c>, or the issuer
/// with https and the listener's port (the issuer's path, if any, is kept: the listener serves the same app).
/// </summary>
internal sealed class MutualTlsEndpoints(IOptions<MutualTlsOptions> options, IIssuerProvider issuer) : IMutualTlsEndpoints
{
    public bool Enabled => options.Value.Enabled;

    public string? Url(string path)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.PublicUrl))
        {
            return settings.PublicUrl.TrimEnd('/') + path;
        }

        if (string.IsNullOrWhiteSpace(settings.Url))
        {
            return null;
        }

        var baseUrl = new UriBuilder(issuer.Issuer) { Scheme = Uri.UriSchemeHttps, Port = new Uri(settings.Url).Port };
        return baseUrl.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + path;
    }
}
