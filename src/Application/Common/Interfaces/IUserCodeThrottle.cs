namespace AuthService.Application.Common.Interfaces;

/// <summary>Wrong user codes entered on the device verification page, per source address (RFC 8628 §5.1).</summary>
public interface IUserCodeThrottle
{
    /// <summary>How long this address must wait before entering another code; null when it may.</summary>
    TimeSpan? RetryAfter(string? remoteAddress);

    void RecordFailure(string? remoteAddress);
}
