using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SigningKeys;

namespace AuthService.Application.Tests.Fakes;

internal sealed class InMemorySigningKeyRepository : ISigningKeyRepository
{
    public List<SigningKey> Keys { get; } = [];

    public int Added { get; private set; }

    public Task<IReadOnlyList<SigningKey>> ListPublishedAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SigningKey>>([.. Keys.Where(k => k.IsPublished)]);

    public Task<IReadOnlyList<SigningKey>> ListAsync(SigningKeyState? state, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SigningKey>>([.. Keys.Where(k => state is null || k.State == state)]);

    public Task<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(Keys.FirstOrDefault(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal)));

    public void Add(SigningKey key)
    {
        Added++;
        Keys.Add(key);
    }
}

internal sealed class FakeSigningKeyMaterialFactory : ISigningKeyMaterialFactory
{
    public List<string> Requested { get; } = [];

    public GeneratedKeyMaterial Generate(string algorithm)
    {
        Requested.Add(algorithm);
        return new GeneratedKeyMaterial("kid-" + algorithm + "-" + Requested.Count, "{\"kty\":\"EC\"}", [1, 2, 3], "kek1");
    }
}

internal sealed class FakeSigningKeyRing : ISigningKeyRing
{
    public int Reloads { get; private set; }

    public bool IsReady => Reloads > 0;

    public JsonWebKeySetDocument Jwks { get; } = new("{\"keys\":[]}", "\"etag-0\"", []);

    public Task ReloadAsync(CancellationToken cancellationToken)
    {
        Reloads++;
        return Task.CompletedTask;
    }
}
