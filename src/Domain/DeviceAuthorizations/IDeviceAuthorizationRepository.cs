namespace AuthService.Domain.DeviceAuthorizations;

public interface IDeviceAuthorizationRepository
{
    Task<DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken cancellationToken);

    /// <summary>The authorization with this normalised user code, or null.</summary>
    Task<DeviceAuthorization?> FindByUserCodeAsync(string userCode, CancellationToken cancellationToken);

    void Add(DeviceAuthorization authorization);

    /// <summary>Deletes up to <paramref name="batchSize"/> authorizations that expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
