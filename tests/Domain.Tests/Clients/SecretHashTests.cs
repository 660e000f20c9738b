using AuthService.Domain.Clients;

namespace AuthService.Domain.Tests.Clients;

public class SecretHashTests
{
    private const string Value = "correct-horse-battery-staple-42";

    [Fact]
    public void Computed_hash_matches_its_secret() =>
        Assert.True(SecretHash.Compute(Value).Matches(Value));

    [Theory]
    [InlineData("correct-horse-battery-staple-43")]
    [InlineData("")]
    [InlineData("correct-horse-battery-staple-42 ")]
    [InlineData("correct-horse-battery-staple-42x")]
    [InlineData("correct-horse")]
    [InlineData("CORRECT-HORSE-BATTERY-STAPLE-42")]
    public void Computed_hash_does_not_match_another_value(string presented) =>
        Assert.False(SecretHash.Compute(Value).Matches(presented));

    [Fact]
    public void Long_presented_secret_is_hashed_and_compared()
    {
        var longSecret = new string('k', 10 * 1024) + "\u00e9";
        var hash = SecretHash.Compute(longSecret);

        Assert.True(hash.Matches(longSecret));
        Assert.False(hash.Matches(longSecret[..^1]));
        Assert.False(SecretHash.Compute(Value).Matches(longSecret));
    }

    [Fact]
    public void Non_ascii_secret_is_hashed_as_utf8()
    {
        var hash = SecretHash.Compute("s\u00e9cret-\u212a");

        Assert.True(hash.Matches("s\u00e9cret-\u212a"));
        Assert.False(hash.Matches("secret-K"));
    }

    [Fact]
    public void Hash_is_the_sha256_of_the_utf8_secret()
    {
        var expected = System.Security.Cryptography.SHA256.HashData("abc"u8);

        Assert.Equal(expected, SecretHash.Compute("abc").ToBytes());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void FromBytes_refuses_anything_but_32_bytes(int length) =>
        Assert.Throws<ArgumentException>(() => SecretHash.FromBytes(new byte[length]));

    [Fact]
    public void FromBytes_round_trips_and_copies_its_input()
    {
        var bytes = SecretHash.Compute(Value).ToBytes();
        var restored = SecretHash.FromBytes(bytes);

        bytes[0] ^= 0xFF;

        Assert.True(restored.Matches(Value));
        Assert.Equal(SecretHash.Compute(Value), restored);
    }

    [Fact]
    public void Equal_hashes_are_equal_and_different_ones_are_not()
    {
        var a = SecretHash.Compute(Value);

        Assert.True(a.Equals(SecretHash.Compute(Value)));
        Assert.True(a.Equals((object)SecretHash.Compute(Value)));
        Assert.Equal(a.GetHashCode(), SecretHash.Compute(Value).GetHashCode());
        Assert.False(a.Equals(SecretHash.Compute("other-secret-value")));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)Value));
    }

    [Fact]
    public void ToString_reveals_neither_secret_nor_hash()
    {
        var hash = SecretHash.Compute(Value);
        var text = hash.ToString();
        var bytes = hash.ToBytes();

        Assert.DoesNotContain(Value, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(bytes), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(bytes), text, StringComparison.Ordinal);
        Assert.Equal("SecretHash(***)", text);
    }
}
