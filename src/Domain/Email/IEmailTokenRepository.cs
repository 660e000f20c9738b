namespace AuthService.Domain.Email;

public interface IEmailTokenRepository
{
    void Add(EmailToken token);

    /// <summary>By the SHA-256 hash of the presented value (see <see cref="Common.OpaqueToken.HashOf"/>).</summary>
    Task<EmailToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>The <paramref name="userId"/>'s tokens of <paramref name="purpose"/> that could still be used at <paramref name="now"/> (not used, not revoked, not expired), tracked.</summary>
    Task<IReadOnlyList<EmailToken>> ListOpenAsync(Guid userId, EmailTokenPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> tokens that expired, were used or were revoked before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
