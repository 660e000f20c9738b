using System.Net;
using System.Net.Sockets;

namespace AuthService.Application.Common.Security;

/// <summary>
/// The key under which every per-address limit and throttle counts a client's source address (docs/adr/0043, 0045).
/// An IPv4 address is its own key. An IPv6 address is keyed by its /64: a host picks its own addresses in its /64
/// (RFC 4862 §5.5.3, RFC 8981) or is given a whole /64 (RFC 8273), so keyed whole one host would hold 2^64 budgets. An IPv4-mapped IPv6 address
/// (<c>::ffff:192.0.2.1</c>, RFC 4291 §2.5.5.2, what a dual-stack socket reports for an IPv4 peer) is the IPv4 address
/// it carries. Audit entries and sessions keep the full address; only the counting is coarser.
/// </summary>
public static class AddressKey
{
    /// <summary>The bits of an IPv6 address that name its network (RFC 4291 §2.5.4: a 64-bit interface identifier).</summary>
    public const int Ipv6PrefixLength = 64;

    /// <summary>
    /// The key of <paramref name="address"/> as the host reported it; an empty key when there is none (a test host), and
    /// the text itself when it is not an address (nothing reports one, but a key must never be refused).
    /// </summary>
    public static string For(string? address)
    {
        // IPv4 (no colon) is the hot path (every token request's throttle check): no parsing, no allocation.
        if (string.IsNullOrEmpty(address) || !address.Contains(':', StringComparison.Ordinal))
        {
            return address ?? string.Empty;
        }

        return IPAddress.TryParse(address, out var parsed) ? For(parsed) : address;
    }

    /// <summary>The key of <paramref name="address"/>: IPv4 as is, IPv4-mapped as its IPv4 address, IPv6 as its /64 (<c>2001:db8:1:2::/64</c>).</summary>
    public static string For(IPAddress? address)
    {
        if (address is null)
        {
            return string.Empty;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[(Ipv6PrefixLength / 8)..].Clear(); // the interface identifier; the scope id (a link-local zone) is dropped with it
        return $"{new IPAddress(bytes)}/{Ipv6PrefixLength}";
    }
}
