using System.Text.Json.Serialization;
using AuthService.Domain.Federation;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Users;

namespace AuthService.Application.Federation.Common;

/// <summary>
/// An upstream identity linked to an account, with its provider's name and label: the admin API's item and the account
/// page's row. The e-mail is the one the upstream gave last (for recognising the account, never a key).
/// </summary>
public sealed record LinkedIdentity(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("provider_display_name")] string ProviderDisplayName,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("linked_at")] DateTimeOffset LinkedAt,
    [property: JsonPropertyName("last_sign_in_at")] DateTimeOffset? LastSignInAt);

/// <summary>Reads an account's links with their providers, and the ways in the account has (docs/adr/0037 "Administration").</summary>
public sealed class LinkedIdentities(IExternalIdentityRepository identities, IExternalProviderRepository providers, IPasskeyRepository passkeys)
{
    /// <summary>The account's links in the order they were made.</summary>
    public async Task<IReadOnlyList<LinkedIdentity>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var links = await identities.ListByUserIdAsync(userId, cancellationToken);
        if (links.Count == 0)
        {
            return [];
        }

        // A provider with links is never deleted (the foreign key restricts it), so every link finds its provider.
        var byId = (await providers.ListAsync(enabledOnly: false, cancellationToken)).ToDictionary(p => p.Id);
        return [.. links.Select(i => new LinkedIdentity(i.Id, byId[i.ProviderId].Name, byId[i.ProviderId].DisplayName, i.Subject, i.Email,
            i.LinkedAt.ToUniversalTime(), i.LastSignInAt?.ToUniversalTime()))];
    }

    /// <summary>What <paramref name="user"/> can sign in with now, <paramref name="linkCount"/> links included.</summary>
    public async Task<WaysIn> WaysInAsync(User user, int linkCount, CancellationToken cancellationToken) =>
        WaysIn.Of(user, (await passkeys.ListByUserIdAsync(user.Id, cancellationToken)).Count, linkCount);

    /// <summary>What <paramref name="user"/> can sign in with now, <paramref name="passkeyCount"/> passkeys included.</summary>
    public async Task<WaysIn> WaysInWithPasskeysAsync(User user, int passkeyCount, CancellationToken cancellationToken) =>
        WaysIn.Of(user, passkeyCount, (await identities.ListByUserIdAsync(user.Id, cancellationToken)).Count);
}
