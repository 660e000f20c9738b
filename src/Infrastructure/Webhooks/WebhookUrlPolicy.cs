using System.Net;
using AuthService.Application.Webhooks.Common;
using AuthService.Infrastructure.Security.Outbound;

namespace AuthService.Infrastructure.Webhooks;

/// <summary>
/// The outbound fetcher's rules applied when a subscription is written, so an administrator learns at once that a URL
/// will never be reached (the delivery re-checks the addresses a name resolves to when it connects).
/// </summary>
internal sealed class WebhookUrlPolicy(HardenedFetcher fetcher) : IWebhookUrlPolicy
{
    public string? Refusal(Uri url)
    {
        if (!fetcher.IsAllowedScheme(url))
        {
            return fetcher.AllowsLoopback ? "must use https (http only to a loopback host)" : "must use https (the server allows no plain http)";
        }

        return url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(url.DnsSafeHost, out var address) && !OutboundAddressRules.IsPermitted(address, fetcher.AllowsLoopback)
            ? "names an address the server does not connect to (private, link-local, loopback or reserved)"
            : null;
    }
}
