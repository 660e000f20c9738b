using AuthService.Domain.Email;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class EmailRequestRepository(AuthDbContext db) : OutboxRepository<EmailRequest>(db), IEmailRequestRepository;
