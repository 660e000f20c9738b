using System.Buffers.Text;
using AuthService.Domain.Common;

namespace AuthService.Domain.Tests.Common;

public class PkceTests
{
    // RFC 7636 Appendix B.
    private const string RfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string RfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    [Fact]
    public void S256_is_the_method_name_and_the_lengths_follow_rfc_7636()
    {
        Assert.Equal("S256", Pkce.S256);
        Assert.Equal(43, Pkce.ChallengeLength);
        Assert.Equal(43, Pkce.MinVerifierLength);
        Assert.Equal(128, Pkce.MaxVerifierLength);
    }

    [Fact]
    public void ChallengeOf_the_rfc_7636_appendix_b_verifier_is_the_rfc_challenge() =>
        Assert.Equal(RfcChallenge, Pkce.ChallengeOf(RfcVerifier));

    [Fact]
    public void Verifies_the_rfc_7636_appendix_b_pair() =>
        Assert.True(Pkce.Verifies(RfcChallenge, RfcVerifier));

    [Fact]
    public void The_rfc_7636_values_are_a_valid_verifier_and_a_valid_challenge()
    {
        Assert.True(Pkce.IsValidVerifier(RfcVerifier));
        Assert.True(Pkce.IsValidChallenge(RfcChallenge));
    }

    [Theory]
    [InlineData(42, false)]
    [InlineData(43, true)]
    [InlineData(64, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void IsValidVerifier_accepts_43_to_128_characters(int length, bool valid) =>
        Assert.Equal(valid, Pkce.IsValidVerifier(new string('a', length)));

    [Fact]
    public void IsValidVerifier_accepts_every_unreserved_character()
    {
        Assert.True(Pkce.IsValidVerifier(Unreserved));
        Assert.True(Pkce.IsValidVerifier(new string('-', 43)));
        Assert.True(Pkce.IsValidVerifier(new string('.', 43)));
        Assert.True(Pkce.IsValidVerifier(new string('_', 43)));
        Assert.True(Pkce.IsValidVerifier(new string('~', 43)));
    }

    [Theory]
    [InlineData('+')]
    [InlineData('/')]
    [InlineData('=')]
    [InlineData(' ')]
    [InlineData('é')]
    [InlineData('%')]
    [InlineData('\n')]
    [InlineData('\0')]
    [InlineData('０')] // FULLWIDTH DIGIT ZERO: a Unicode digit, not an ASCII one
    [InlineData('Ａ')] // FULLWIDTH LATIN CAPITAL LETTER A
    public void IsValidVerifier_refuses_a_character_outside_the_unreserved_set(char bad)
    {
        var verifier = new string('a', 42) + bad;

        Assert.False(Pkce.IsValidVerifier(verifier));
        Assert.False(Pkce.IsValidVerifier(bad + new string('a', 50)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void IsValidVerifier_refuses_null_and_empty(string? verifier) =>
        Assert.False(Pkce.IsValidVerifier(verifier));

    [Theory]
    [InlineData(42, false)]
    [InlineData(43, true)]
    [InlineData(44, false)]
    public void IsValidChallenge_accepts_exactly_43_characters(int length, bool valid) =>
        Assert.Equal(valid, Pkce.IsValidChallenge(new string('A', length)));

    [Theory]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")] // '+' of standard base64
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw/cM")] // '/' of standard base64
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c=")] // padding within 43
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")] // padded, 44
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM=")] // standard base64, padded
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw.cM")] // unreserved but not base64url
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw~cM")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw cM")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstwécM")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")] // 42
    [InlineData("")]
    [InlineData(null)]
    public void IsValidChallenge_refuses_anything_but_43_base64url_characters(string? challenge) =>
        Assert.False(Pkce.IsValidChallenge(challenge));

    [Fact]
    public void IsValidChallenge_accepts_the_whole_base64url_alphabet()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        Assert.True(Pkce.IsValidChallenge(alphabet[..43]));
        Assert.True(Pkce.IsValidChallenge(alphabet[21..]));
    }

    [Fact]
    public void ChallengeOf_is_43_base64url_characters_for_any_verifier()
    {
        foreach (var verifier in new[] { new string('a', 43), new string('~', 128), Unreserved })
        {
            var challenge = Pkce.ChallengeOf(verifier);

            Assert.Equal(43, challenge.Length);
            Assert.True(Pkce.IsValidChallenge(challenge));
            Assert.True(Pkce.Verifies(challenge, verifier));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Verifies_is_false_without_a_verifier(string? verifier) =>
        Assert.False(Pkce.Verifies(RfcChallenge, verifier));

    [Fact]
    public void Verifies_is_false_for_another_valid_verifier()
    {
        var other = "eBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

        Assert.True(Pkce.IsValidVerifier(other));
        Assert.False(Pkce.Verifies(RfcChallenge, other));
    }

    [Fact]
    public void Verifies_is_case_sensitive()
    {
        Assert.False(Pkce.Verifies(RfcChallenge, RfcVerifier.ToUpperInvariant()));
        Assert.False(Pkce.Verifies(RfcChallenge.ToLowerInvariant(), RfcVerifier));
    }

    [Fact]
    public void Verifies_is_false_when_the_challenge_itself_is_sent_as_verifier() =>
        Assert.False(Pkce.Verifies(RfcChallenge, RfcChallenge));

    [Fact]
    public void Verifies_is_false_for_a_verifier_that_matches_but_is_too_short()
    {
        var shortVerifier = RfcVerifier[..42];

        Assert.False(Pkce.Verifies(Pkce.ChallengeOf(shortVerifier), shortVerifier));
    }

    [Fact]
    public void Verifies_is_false_for_a_verifier_that_matches_but_is_too_long()
    {
        var longVerifier = new string('a', 129);

        Assert.False(Pkce.Verifies(Pkce.ChallengeOf(longVerifier), longVerifier));
    }

    [Fact]
    public void Verifies_is_false_for_a_non_ascii_verifier_even_with_its_own_challenge()
    {
        // Encoding.ASCII maps 'é' to '?': without the character check two different verifiers would share a challenge.
        var nonAscii = new string('a', 42) + 'é';

        Assert.False(Pkce.Verifies(Pkce.ChallengeOf(nonAscii), nonAscii));
    }

    [Fact]
    public void Verifies_is_false_for_a_verifier_with_a_plus_even_with_its_own_challenge()
    {
        var withPlus = new string('a', 42) + '+';

        Assert.False(Pkce.Verifies(Pkce.ChallengeOf(withPlus), withPlus));
    }

    [Theory]
    [InlineData("")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM=")]
    public void Verifies_is_false_for_a_challenge_of_another_form(string challenge) =>
        Assert.False(Pkce.Verifies(challenge, RfcVerifier));

    [Fact]
    public void Verifies_is_false_for_the_plain_method()
    {
        // With "plain" the challenge equals the verifier; only S256 is accepted.
        var verifier = new string('a', 43);

        Assert.False(Pkce.Verifies(verifier, verifier));
    }
}

public class OpaqueTokenTests
{
    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    [Fact]
    public void HashLength_is_43() => Assert.Equal(43, OpaqueToken.HashLength);

    [Fact]
    public void New_is_43_base64url_characters_encoding_32_bytes()
    {
        var token = OpaqueToken.New();

        Assert.Equal(43, token.Length);
        Assert.All(token, c => Assert.True(IsBase64UrlChar(c), $"'{c}' is not base64url"));
        Assert.Equal(32, Base64Url.DecodeFromChars(token).Length);
    }

    [Fact]
    public void New_gives_10000_distinct_values_of_43_base64url_characters()
    {
        var tokens = Enumerable.Range(0, 10_000).Select(_ => OpaqueToken.New()).ToList();

        Assert.Equal(10_000, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens, token =>
        {
            Assert.Equal(43, token.Length);
            Assert.True(token.All(IsBase64UrlChar), token);
        });
    }

    [Fact]
    public void New_has_every_one_of_its_256_bits_set_about_half_the_time()
    {
        // 10,000 samples: each bit is set 5,000 ± 50 (one standard deviation) times if random;
        // a stuck or biased bit (fewer than 256 bits of entropy) falls far outside 4,500..5,500.
        const int samples = 10_000;
        var ones = new int[256];
        for (var i = 0; i < samples; i++)
        {
            var bytes = Base64Url.DecodeFromChars(OpaqueToken.New());
            Assert.Equal(32, bytes.Length);
            for (var bit = 0; bit < 256; bit++)
            {
                ones[bit] += (bytes[bit / 8] >> (bit % 8)) & 1;
            }
        }

        Assert.All(ones, count => Assert.InRange(count, 4_500, 5_500));
    }

    [Fact]
    public void New_uses_the_whole_base64url_alphabet()
    {
        var seen = new HashSet<char>();
        for (var i = 0; i < 1_000; i++)
        {
            seen.UnionWith(OpaqueToken.New()[..42]);
        }

        Assert.Equal(64, seen.Count);
    }

    [Fact]
    public void HashOf_is_the_base64url_sha256_of_the_value() =>
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad (FIPS 180-2).
        Assert.Equal("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", OpaqueToken.HashOf("abc"));

    [Fact]
    public void HashOf_is_deterministic_and_43_base64url_characters()
    {
        var token = OpaqueToken.New();

        var first = OpaqueToken.HashOf(token);
        var second = OpaqueToken.HashOf(token);

        Assert.Equal(first, second);
        Assert.Equal(OpaqueToken.HashLength, first.Length);
        Assert.True(first.All(IsBase64UrlChar), first);
        Assert.NotEqual(token, first);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("é")]
    [InlineData("a much longer value than a token, with spaces and ünïcödé, well past sixty-four characters in length")]
    public void HashOf_is_43_characters_for_any_input(string value) =>
        Assert.Equal(OpaqueToken.HashLength, OpaqueToken.HashOf(value).Length);

    [Fact]
    public void HashOf_differs_for_different_inputs()
    {
        Assert.NotEqual(OpaqueToken.HashOf("token-a"), OpaqueToken.HashOf("token-b"));
        Assert.NotEqual(OpaqueToken.HashOf("abc"), OpaqueToken.HashOf("ABC"));
        Assert.NotEqual(OpaqueToken.HashOf("abc"), OpaqueToken.HashOf("abc "));

        var hashes = Enumerable.Range(0, 1_000).Select(_ => OpaqueToken.HashOf(OpaqueToken.New())).ToList();
        Assert.Equal(1_000, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void HashOf_non_ascii_values_does_not_collide()
    {
        // UTF-8, not ASCII: 'é' and 'è' must not both become '?'.
        Assert.NotEqual(OpaqueToken.HashOf("é"), OpaqueToken.HashOf("è"));
        Assert.NotEqual(OpaqueToken.HashOf("é"), OpaqueToken.HashOf("?"));
    }
}
