namespace AuthService.Domain.PushedAuthorizationRequests;

public interface IPushedAuthorizationRequestRepository
{
    Task<PushedAuthorizationRequest?> FindByRequestUriHashAsync(string requestUriHash, CancellationToken cancellationToken);

    void Add(PushedAuthorizationRequest request);

    /// <summary>Deletes up to <paramref name="batchSize"/> requests that expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
