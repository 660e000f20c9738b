using AuthService.Application.Common.Interfaces;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// <c>Auth:Issuer</c>, or else the first address the server listens on (wildcard hosts become
/// <c>localhost</c>). Resolved once, never from request headers (RFC 9700 §4.13).
/// </summary>
internal sealed class IssuerProvider(IOptions<AuthServerOptions> options, IServer server) : IIssuerProvider
{
    private string? _issuer;

    public string Issuer => _issuer ??= Resolve();

    private string Resolve()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.Issuer))
        {
            return Normalize(options.Value.Issuer);
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Auth:Issuer is not set and the server has no listening address yet.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return Normalize(uri.Uri.GetLeftPart(UriPartial.Path));
    }

    /// <summary>RFC 8414 §2: an http(s) URL with no query or fragment; no trailing slash so paths append cleanly.</summary>
    public static string Normalize(string issuer)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidOperationException("Auth:Issuer must be an absolute https (or http, for development) URL without query or fragment.");
        }

        return issuer.TrimEnd('/');
    }
}
