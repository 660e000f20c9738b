using System.Net;
using AuthService.Infrastructure.Security;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.Middleware;

/// <summary>
/// <c>Auth:ForwardedHeaders</c> (docs/adr/0045): the reverse proxies whose <c>X-Forwarded-For</c> names the client. Empty
/// (the default): no forwarded header is read at all, and the client is the connection's peer.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "Auth:ForwardedHeaders";

    /// <summary>Comma-separated IP addresses and CIDR ranges of the proxies in front of the server.</summary>
    public string? TrustedProxies { get; set; }

    /// <summary>Why the section is unusable, or null. Checked at start, so a wrong setting refuses the start.</summary>
    public string? Problem() =>
        TrustedNetworks.Parse(TrustedProxies) is not { } proxies
            ? "Auth:ForwardedHeaders:TrustedProxies must be comma-separated IP addresses or CIDR ranges."
        : proxies.Any(network => network.PrefixLength == 0)
            ? "Auth:ForwardedHeaders:TrustedProxies must not trust every address (a /0 range): any client could then choose its own address."
        : null;
}

/// <summary>
/// The client's address behind trusted reverse proxies: ASP.NET Core's forwarded-headers middleware with only the configured
/// proxies known (its defaults, which trust loopback, are cleared) and only <c>X-Forwarded-For</c> read. Walking the header from
/// the right, each entry replaces the connection's address for as long as the address it replaces is a trusted proxy; the first
/// entry added by an untrusted hop is the client, whatever that hop put to its left. Every per-address limit and throttle, the
/// audit trail and sessions then see the client. A header from any other peer is a client's claim and changes nothing
/// (RFC 9700 §4.13: only headers a trusted proxy vouches for are believed). <c>X-Forwarded-Proto</c>, <c>-Host</c> and
/// <c>-Prefix</c> are never read: the issuer and every URL derive from <c>Auth:Issuer</c>, never from the request.
/// </summary>
public static class ForwardedClientAddress
{
    public static IServiceCollection AddForwardedClientAddress(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.SectionName)
            .Validate(o => o.Problem() is null,
                "Auth:ForwardedHeaders:TrustedProxies must be comma-separated IP addresses or CIDR ranges, none of them /0 (docs/adr/0045).")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Installs the forwarded-headers step first in the pipeline when trusted proxies are configured; nothing otherwise.</summary>
    public static WebApplication UseForwardedClientAddress(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        if (TrustedNetworks.Parse(settings.TrustedProxies) is not { Count: > 0 } proxies)
        {
            return app; // X-Forwarded-* ignored entirely (an invalid setting has already refused the start)
        }

        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor,
            // No count limit: the walk stops at the first address that is not a trusted proxy, however many trusted hops there are.
            ForwardLimit = null,
        };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var network in proxies)
        {
            forwarded.KnownIPNetworks.Add(network);
        }

        // The TCP peer, before the forwarded-headers step replaces the connection's address: the mutual-TLS certificate header
        // is believed from a trusted TLS-terminating proxy only, and a client must not become one by sending X-Forwarded-For.
        app.Use((http, next) =>
        {
            http.Features.Set(new TcpPeerFeature(http.Connection.RemoteIpAddress));
            return next(http);
        });
        app.UseForwardedHeaders(forwarded);
        return app;
    }

    /// <summary>The address of the connection's peer (a proxy's own address behind one), never one taken from a request header.</summary>
    public static IPAddress? TcpPeer(HttpContext http) => http.Features.Get<TcpPeerFeature>()?.Address ?? http.Connection.RemoteIpAddress;

    private sealed record TcpPeerFeature(IPAddress? Address);
}
