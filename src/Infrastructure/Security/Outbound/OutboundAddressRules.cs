using System.Net;
using System.Net.Sockets;

namespace AuthService.Infrastructure.Security.Outbound;

/// <summary>
/// Which addresses the server may connect to when it fetches a client-supplied URL (RFC 9700 §2.5 leaves the
/// <c>jwks_uri</c> and a client ID metadata document URL to the client, so they are untrusted input: server-side request forgery, CWE-918). Only public
/// unicast addresses, and loopback when explicitly allowed.
/// </summary>
public static class OutboundAddressRules
{
    private static readonly (IPAddress Network, int PrefixLength)[] RefusedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network" (RFC 791)
        (IPAddress.Parse("10.0.0.0"), 8),       // private (RFC 1918)
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT (RFC 6598)
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local (RFC 3927), incl. the cloud metadata address 169.254.169.254
        (IPAddress.Parse("172.16.0.0"), 12),    // private (RFC 1918)
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments (RFC 6890)
        (IPAddress.Parse("192.0.2.0"), 24),     // documentation (RFC 5737)
        (IPAddress.Parse("192.168.0.0"), 16),   // private (RFC 1918)
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking (RFC 2544)
        (IPAddress.Parse("198.51.100.0"), 24),  // documentation (RFC 5737)
        (IPAddress.Parse("203.0.113.0"), 24),   // documentation (RFC 5737)
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast (RFC 5771)
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved and broadcast (RFC 1112)
    ];

    private static readonly (IPAddress Network, int PrefixLength)[] RefusedV6 =
    [
        (IPAddress.Parse("::"), 96),            // unspecified and IPv4-compatible (RFC 4291)
        (IPAddress.Parse("64:ff9b::"), 96),     // NAT64 (RFC 6052): would reach any IPv4 address, private ones included
        (IPAddress.Parse("100::"), 64),         // discard (RFC 6666)
        (IPAddress.Parse("2001:db8::"), 32),    // documentation (RFC 3849)
        (IPAddress.Parse("fc00::"), 7),         // unique-local (RFC 4193), incl. the metadata address fd00:ec2::254
        (IPAddress.Parse("fe80::"), 10),        // link-local (RFC 4291)
        (IPAddress.Parse("fec0::"), 10),        // site-local, deprecated (RFC 3879)
        (IPAddress.Parse("ff00::"), 8),         // multicast (RFC 4291)
    ];

    /// <summary>True when a connection to <paramref name="address"/> is allowed.</summary>
    public static bool IsPermitted(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        var ranges = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RefusedV4,
            AddressFamily.InterNetworkV6 => RefusedV6,
            _ => null,
        };
        return ranges is not null && !ranges.Any(range => InRange(address, range.Network, range.PrefixLength));
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        var networkBytes = network.GetAddressBytes();
        for (var bit = 0; bit < prefixLength; bit++)
        {
            var mask = (byte)(0x80 >> (bit % 8));
            if ((bytes[bit / 8] & mask) != (networkBytes[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
