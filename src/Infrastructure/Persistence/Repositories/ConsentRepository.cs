using AuthService.Domain.Consents;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ConsentRepository(AuthDbContext db) : IConsentRepository
{
    public Task<Consent?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken) =>
        db.Consents.SingleOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, cancellationToken);

    public void Add(Consent consent) => db.Consents.Add(consent);

    public Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) => (userId, clientId) switch
    {
        ({ } user, null) => db.Consents.Where(c => c.UserId == user).ExecuteDeleteAsync(cancellationToken),
        (null, { } client) => db.Consents.Where(c => c.ClientId == client).ExecuteDeleteAsync(cancellationToken),
        _ => throw new ArgumentException("Give a user or a client, not both."),
    };
}
