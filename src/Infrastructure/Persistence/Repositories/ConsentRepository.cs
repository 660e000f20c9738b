using AuthService.Domain.Consents;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ConsentRepository(AuthDbContext db) : IConsentRepository
{
    public Task<Consent?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken) =>
        db.Consents.SingleOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, cancellationToken);

    public void Add(Consent consent) => db.Consents.Add(consent);
}
