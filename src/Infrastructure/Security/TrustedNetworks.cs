using System.Net;
using System.Net.Sockets;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// A setting that lists trusted proxies: comma-separated IP addresses and CIDR ranges (<c>Auth:MutualTls:TrustedProxies</c>,
/// <c>Auth:ForwardedHeaders:TrustedProxies</c>). One parser and one membership test for both, so the two settings read alike.
/// </summary>
public static class TrustedNetworks
{
    /// <summary>The networks of <paramref name="setting"/> (empty when it is empty); null when one entry is not an address or range.</summary>
    public static IReadOnlyList<IPNetwork>? Parse(string? setting)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                return null;
            }
        }

        return networks;
    }

    /// <summary>True when <paramref name="address"/> (an IPv4-mapped IPv6 address as its IPv4 address) is in one of the networks.</summary>
    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in networks)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }

        return false;
    }
}
