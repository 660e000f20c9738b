using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Bff;

/// <summary>
/// Keeps each session's authentication ticket (the user's claims and, with SaveTokens, the access, refresh and ID tokens) on
/// the server; the browser's cookie carries only the encrypted key to it. In memory, so one instance: several instances
/// behind a load balancer would share a store (a distributed cache) the same way.
/// </summary>
public sealed class ServerSideTicketStore(IMemoryCache cache, TimeProvider time) : ITicketStore
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var expires = ticket.Properties.ExpiresUtc ?? time.GetUtcNow() + DefaultLifetime;
        cache.Set(CacheKey(key), ticket, expires);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => Task.FromResult(cache.Get<AuthenticationTicket>(CacheKey(key)));

    public Task RemoveAsync(string key)
    {
        cache.Remove(CacheKey(key));
        return Task.CompletedTask;
    }

    private static string CacheKey(string key) => "bff-ticket:" + key;
}
