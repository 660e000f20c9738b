using AuthService.Application.Common.Interfaces;

namespace AuthService.Application.Tests.Fakes;

internal sealed class FakeAccessTokenIssuer : IAccessTokenIssuer
{
    public List<AccessTokenDescriptor> Issued { get; } = [];

    public IssuedAccessToken Issue(AccessTokenDescriptor descriptor)
    {
        Issued.Add(descriptor);
        return new IssuedAccessToken($"token-{Issued.Count}", $"jti-{Issued.Count}", descriptor.IssuedAt + descriptor.Lifetime, "kid-ES256-1");
    }
}

internal sealed class FakeIssuerProvider(string issuer = FakeIssuerProvider.DefaultIssuer) : IIssuerProvider
{
    public const string DefaultIssuer = "https://auth.example";

    public string Issuer { get; } = issuer;
}
