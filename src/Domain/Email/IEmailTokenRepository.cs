namespace AuthService.Domain.Email;

public interface IEmailTokenRepository
{
    void Add(EmailToken token);

    /// <summary>By the SHA-256 hash of the presented value (see <see cref="Common.OpaqueToken.HashOf"/>).</summary>
    Task<EmailToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken);
}
