using System.Security.Cryptography;
using System.Text;
using AuthService.Domain.SigningKeys;
using AuthService.Infrastructure.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Crypto.Parameters;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>
/// The EdDSA signer as IdentityModel calls it (key, crypto provider factory, signature provider), against
/// the published vectors: RFC 8032 §7.1 (Ed25519 TEST 1-3) and RFC 8037 Appendix A (the JWK thumbprint
/// and the signed JWS). Ed25519 is deterministic, so a signature must equal the vector byte for byte.
/// </summary>
public sealed class EdDsaKnownAnswerTests
{
    // RFC 8037 Appendix A.1/A.2: the example key; A.3: its thumbprint; A.4: the JWS over "Example of Ed25519 signing".
    private const string Rfc8037D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    private const string Rfc8037X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    private const string Rfc8037Thumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
    private const string Rfc8037SigningInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    private const string Rfc8037Signature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    [Theory]
    [InlineData( // TEST 1: empty message
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData( // TEST 2: one byte
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    [InlineData( // TEST 3: two bytes
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void Rfc8032_vectors_sign_to_the_published_signature_and_verify(string secretHex, string publicHex, string messageHex, string signatureHex)
    {
        var key = SigningKey(Convert.FromHexString(secretHex));
        var message = Convert.FromHexString(messageHex);

        Assert.Equal(publicHex, Convert.ToHexStringLower(key.PublicKey.GetEncoded()));
        Assert.Equal(signatureHex, Convert.ToHexStringLower(Sign(key, message)));
        var verifier = PublicKey(Base64UrlEncoder.Encode(Convert.FromHexString(publicHex)));
        Assert.True(Verify(verifier, message, Convert.FromHexString(signatureHex)));
    }

    [Fact]
    public void Rfc8037_example_key_has_the_published_thumbprint()
    {
        var thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(EdDsaSecurityKey.ThumbprintInput(Rfc8037X))));

        Assert.Equal(Rfc8037Thumbprint, thumbprint);
    }

    [Fact]
    public void Rfc8037_example_JWS_is_reproduced_and_verified()
    {
        var key = SigningKey(Base64UrlEncoder.DecodeBytes(Rfc8037D));
        var input = Encoding.ASCII.GetBytes(Rfc8037SigningInput);

        Assert.Equal(Rfc8037X, Base64UrlEncoder.Encode(key.PublicKey.GetEncoded()));
        Assert.Equal(Rfc8037Signature, Base64UrlEncoder.Encode(Sign(key, input)));
        Assert.True(Verify(PublicKey(Rfc8037X), input, Base64UrlEncoder.DecodeBytes(Rfc8037Signature)));
    }

    [Fact]
    public void A_changed_message_or_signature_does_not_verify()
    {
        var input = Encoding.ASCII.GetBytes(Rfc8037SigningInput);
        var signature = Base64UrlEncoder.DecodeBytes(Rfc8037Signature);
        var verifier = PublicKey(Rfc8037X);

        Assert.False(Verify(verifier, Encoding.ASCII.GetBytes(Rfc8037SigningInput + "x"), signature));
        var flipped = (byte[])signature.Clone();
        flipped[10] ^= 0x01;
        Assert.False(Verify(verifier, input, flipped));
        Assert.False(Verify(verifier, input, signature[..63]));
        Assert.False(Verify(verifier, input, [.. signature, 0]));
    }

    [Fact]
    public void A_token_signed_with_EdDSA_validates_with_the_published_key_and_only_as_EdDSA()
    {
        var key = SigningKey(RandomNumberGenerator.GetBytes(32));
        var handler = new JsonWebTokenHandler();
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.example",
            Claims = new Dictionary<string, object> { ["sub"] = "alice" },
            SigningCredentials = new SigningCredentials(key, SigningAlgorithms.EdDSA),
        });
        var publicKey = PublicKey(Base64UrlEncoder.Encode(key.PublicKey.GetEncoded()));

        Assert.Equal("EdDSA", Infrastructure.Jose.Header(token)["alg"]?.GetValue<string>());
        Assert.True(Validate(handler, token, publicKey, [SigningAlgorithms.EdDSA]));
        Assert.False(Validate(handler, token, publicKey, [SigningAlgorithms.ES256, SigningAlgorithms.RS256]));

        // The same signature presented under another algorithm name finds no provider for the Ed25519 key.
        var relabelled = Infrastructure.Jose.WithHeader(token, header => header["alg"] = "ES256");
        Assert.False(Validate(handler, relabelled, publicKey, SigningAlgorithms.Supported));
    }

    [Fact]
    public void A_public_JWK_that_is_not_Ed25519_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EdDsaSecurityKey.FromPublicJwk($"{{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"kid\":\"k\",\"x\":\"{Rfc8037X}\"}}"));
        Assert.Throws<ArgumentException>(() => EdDsaSecurityKey.FromPublicJwk("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k\",\"x\":\"AAAA\"}"));
    }

    private static EdDsaSecurityKey SigningKey(byte[] seed) => EdDsaSecurityKey.ForSigning(new Ed25519PrivateKeyParameters(seed), "test");

    private static EdDsaSecurityKey PublicKey(string x) =>
        EdDsaSecurityKey.FromPublicJwk($"{{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"test\",\"x\":\"{x}\"}}");

    private static byte[] Sign(EdDsaSecurityKey key, byte[] message)
    {
        var provider = key.CryptoProviderFactory.CreateForSigning(key, SigningAlgorithms.EdDSA);
        try
        {
            return provider.Sign(message);
        }
        finally
        {
            key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    private static bool Verify(EdDsaSecurityKey key, byte[] message, byte[] signature)
    {
        var provider = key.CryptoProviderFactory.CreateForVerifying(key, SigningAlgorithms.EdDSA);
        try
        {
            return provider.Verify(message, signature);
        }
        finally
        {
            key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    private static bool Validate(JsonWebTokenHandler handler, string token, SecurityKey key, IEnumerable<string> algorithms) =>
        handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "https://issuer.example",
            ValidateAudience = false,
            ValidateLifetime = false,
            IssuerSigningKey = key,
            ValidAlgorithms = algorithms,
        }).GetAwaiter().GetResult().IsValid;
}
