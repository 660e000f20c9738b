using AuthService.Domain.Common;

namespace AuthService.Domain.Consents;

/// <summary>
/// What a user allowed a client to do (ASVS 10.7): the scopes granted, remembered per user and client so
/// the user is asked again only for scopes not yet granted. Granting adds scopes; it never removes any.
/// </summary>
public sealed class Consent : AggregateRoot
{
    private List<string> _scopes = [];

    private Consent()
    {
        ClientId = null!;
    }

    public Guid UserId { get; private set; }

    public string ClientId { get; private set; }

    public IReadOnlyList<string> Scopes => _scopes;

    public DateTimeOffset GrantedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Consent Grant(Guid userId, string clientId, IReadOnlyCollection<string> scopes, DateTimeOffset now)
    {
        Guard.Against(userId == Guid.Empty, "user", "A consent belongs to a user.");
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "A consent is given to a client.");
        Guard.Against(scopes.Count == 0, "scope", "A consent grants at least one scope.");
        Guard.RequireUtc(now, nameof(now));
        var consent = new Consent { UserId = userId, ClientId = clientId, _scopes = [.. scopes.Distinct(StringComparer.Ordinal)], GrantedAt = now, UpdatedAt = now };
        consent.Raise(new Events.ConsentGranted(userId, clientId, now));
        return consent;
    }

    /// <summary>True when every scope in <paramref name="requested"/> has been granted.</summary>
    public bool Covers(IEnumerable<string> requested) => requested.All(scope => _scopes.Contains(scope, StringComparer.Ordinal));

    /// <summary>Adds the scopes not yet granted; false when there were none.</summary>
    public bool Extend(IEnumerable<string> scopes, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        var added = scopes.Where(scope => !_scopes.Contains(scope, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (added.Count == 0)
        {
            return false;
        }

        _scopes = [.. _scopes, .. added];
        UpdatedAt = now;
        Raise(new Events.ConsentGranted(UserId, ClientId, now));
        return true;
    }

    /// <summary>
    /// Withdraws the consent (an administrator's decision, ASVS 10.7.3). The caller removes it from the store in
    /// the same save and revokes the user's refresh-token families for the client; the next authorization asks again.
    /// </summary>
    public void Revoke(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Raise(new Events.ConsentRevoked(UserId, ClientId, now));
    }
}
