using AuthService.Domain.Clients;

namespace AuthService.Application.Common.Security;

/// <summary>
/// Whose budget a token request spends (docs/adr/0043). Only a client that proved who it is spends its own budget:
/// a limit keyed on the <c>client_id</c> a request merely names would let anyone exhaust another client's budget by
/// naming it. So a confidential client that authenticated spends its client budget; a public client (whose
/// <c>client_id</c> is no secret, OAuth 2.1 §2.1) spends that client's budget at the request's source address; a request
/// whose client authentication failed spends the budget of its source address alone.
/// </summary>
/// <param name="ClientId">The authenticated client, or null for a request whose authentication failed.</param>
/// <param name="RemoteAddress">The source address's key (<see cref="AddressKey"/>: an IPv6 address by its /64) for a public client or an unauthenticated request; null for a confidential client.</param>
/// <param name="PermitsPerSecond">The client's own limit (<see cref="Client.TokenRateLimit"/>), or null for the configured default.</param>
public readonly record struct TokenRatePartition(string? ClientId, string? RemoteAddress, int? PermitsPerSecond)
{
    /// <summary>True for a request whose client authentication failed: the source address's budget.</summary>
    public bool IsUnauthenticated => ClientId is null;

    /// <summary>The budget of a client that has authenticated.</summary>
    public static TokenRatePartition ForClient(ClientSnapshot client, string? remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Type == ClientType.Public
            ? new(client.ClientId, AddressKey.For(remoteAddress), client.TokenRateLimit)
            : new(client.ClientId, null, client.TokenRateLimit);
    }

    /// <summary>The budget of a source address whose request did not authenticate a client.</summary>
    public static TokenRatePartition ForUnauthenticated(string? remoteAddress) => new(null, AddressKey.For(remoteAddress), null);
}
