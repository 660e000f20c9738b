using AuthService.Application.Common.Security;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>
/// Keys registered by value (<c>jwks</c>): parsed from the registration, which the domain checked holds
/// public keys only. A client registered with <c>jwks_uri</c> has no keys here.
/// </summary>
internal sealed class ClientKeyResolver : IClientKeyResolver
{
    public ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(ClientSnapshot client, string? kid, CancellationToken cancellationToken)
    {
        if (client.Jwks is null)
        {
            return ValueTask.FromResult<IReadOnlyList<JsonWebKey>>([]);
        }

        IReadOnlyList<JsonWebKey> keys = [.. JsonWebKeySet.Create(client.Jwks).Keys];
        return ValueTask.FromResult(keys);
    }
}
