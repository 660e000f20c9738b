using System.Collections.Concurrent;

namespace AuthService.ResourceServer.Dpop;

/// <summary>One <see cref="DpopNonces"/> per authentication scheme, so a generated key lives as long as the application.</summary>
internal sealed class DpopNonceKeys(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DpopNonces> _byScheme = new(StringComparer.Ordinal);

    public DpopNonces For(string scheme, DpopOptions options) => _byScheme.GetOrAdd(scheme, _ => new DpopNonces(options, clock));
}
