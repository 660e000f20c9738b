using AuthService.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class EmailTokenRepository(AuthDbContext db) : IEmailTokenRepository
{
    public void Add(EmailToken token) => db.EmailTokens.Add(token);

    public Task<EmailToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        db.EmailTokens.SingleOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken);
}
