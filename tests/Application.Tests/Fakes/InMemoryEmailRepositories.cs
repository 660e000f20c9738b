using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tests.Fakes;

internal sealed class InMemoryOutgoingEmailRepository : IOutgoingEmailRepository
{
    public List<OutgoingEmail> Emails { get; } = [];

    public void Add(OutgoingEmail message) => Emails.Add(message);

    public Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. Emails.Where(e => e.Status == OutboxStatus.Pending && e.NextAttemptAt <= now).Take(batchSize).Select(e => e.Id)]);

    public Task<bool> TryClaimAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<OutgoingEmail?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Emails.SingleOrDefault(e => e.Id == id));

    public Task<IReadOnlyList<OutgoingEmail>> ListAsync(Guid? userId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutgoingEmail>>([.. Emails.Where(e => userId == null || e.UserId == userId).Take(limit)]);

    public Task<int> DeleteSettledAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Emails.RemoveAll(e => e.Status != OutboxStatus.Pending && e.CreatedAt < cutoff));
}

internal sealed class InMemoryEmailRequestRepository : IEmailRequestRepository
{
    public List<EmailRequest> Requests { get; } = [];

    public void Add(EmailRequest message) => Requests.Add(message);

    public Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. Requests.Where(r => r.Status == OutboxStatus.Pending && r.NextAttemptAt <= now).Take(batchSize).Select(r => r.Id)]);

    public Task<bool> TryClaimAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<EmailRequest?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Requests.SingleOrDefault(r => r.Id == id));

    public Task<int> DeleteSettledAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Requests.RemoveAll(r => r.Status != OutboxStatus.Pending && r.CreatedAt < cutoff));
}

internal sealed class InMemoryEmailTokenRepository : IEmailTokenRepository
{
    public List<EmailToken> Tokens { get; } = [];

    public void Add(EmailToken token) => Tokens.Add(token);

    public Task<EmailToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult(Tokens.SingleOrDefault(t => t.TokenHash == tokenHash));

    public Task<IReadOnlyList<EmailToken>> ListOpenAsync(Guid userId, EmailTokenPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EmailToken>>([.. Tokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.ConsumedAt == null && t.RevokedAt == null && t.ExpiresAt > now)]);

    public Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Tokens.RemoveAll(t => t.ExpiresAt < cutoff || t.ConsumedAt < cutoff || t.RevokedAt < cutoff));
}

/// <summary>An <see cref="EmailLinks"/> writing into the two in-memory stores.</summary>
internal sealed record EmailFakes(InMemoryEmailTokenRepository Tokens, InMemoryOutgoingEmailRepository Outbox)
{
    public EmailFakes()
        : this(new InMemoryEmailTokenRepository(), new InMemoryOutgoingEmailRepository())
    {
    }

    public EmailLinks Links => new(Tokens, Outbox, new FakeIssuerProvider(), Options.Create(new EmailOptions()));
}
