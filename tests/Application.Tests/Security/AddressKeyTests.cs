using AuthService.Application.Common.Security;

namespace AuthService.Application.Tests.Security;

/// <summary>The key every per-address limit and throttle counts under (docs/adr/0045): IPv4 whole, IPv6 by its /64.</summary>
public sealed class AddressKeyTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("10.0.0.255", "10.0.0.255")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:DB8:1:2:a:b:c:d", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    [InlineData("fe80::1%2", "fe80::/64")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")] // IPv4-mapped (RFC 4291 §2.5.5.2): the IPv4 address
    [InlineData("::ffff:c000:201", "192.0.2.1")]
    public void An_address_is_keyed_by_its_IPv4_address_or_its_IPv6_64(string address, string key) =>
        Assert.Equal(key, AddressKey.For(address));

    [Fact]
    public void Two_hosts_of_one_IPv6_64_share_a_key_and_the_neighbouring_64_does_not()
    {
        Assert.Equal(AddressKey.For("2001:db8:a:b::1"), AddressKey.For("2001:db8:a:b:1234:5678:9abc:def0"));
        Assert.NotEqual(AddressKey.For("2001:db8:a:b::1"), AddressKey.For("2001:db8:a:c::1"));
        Assert.NotEqual(AddressKey.For("192.0.2.1"), AddressKey.For("192.0.2.2"));
    }

    [Fact]
    public void The_mapped_form_and_the_IPv4_form_of_one_address_share_a_key() =>
        Assert.Equal(AddressKey.For(System.Net.IPAddress.Parse("203.0.113.7")), AddressKey.For(System.Net.IPAddress.Parse("203.0.113.7").MapToIPv6()));

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("not:an:address", "not:an:address")]
    public void No_address_or_an_unreadable_one_is_still_a_key(string? address, string key) =>
        Assert.Equal(key, AddressKey.For(address));

    [Fact]
    public void The_token_endpoints_address_budgets_use_the_key()
    {
        Assert.Equal(TokenRatePartition.ForUnauthenticated("2001:db8:1:2::1"), TokenRatePartition.ForUnauthenticated("2001:db8:1:2::99"));
        Assert.NotEqual(TokenRatePartition.ForUnauthenticated("2001:db8:1:2::1"), TokenRatePartition.ForUnauthenticated("2001:db8:1:3::1"));
        Assert.Equal(TokenRatePartition.ForUnauthenticated("198.51.100.4"), TokenRatePartition.ForUnauthenticated("::ffff:198.51.100.4"));
    }
}
