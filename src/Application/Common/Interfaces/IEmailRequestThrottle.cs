namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Bounds how many messages may be asked for, per recipient address and per source address (ASVS 2.4.1 anti-automation,
/// 6.3.1): nobody can flood a mailbox or make the server a mail cannon.
/// </summary>
public interface IEmailRequestThrottle
{
    /// <summary>Counts one request; false (and nothing is to be sent) when either budget is spent.</summary>
    bool TryAcquire(string normalizedRecipient, string? remoteAddress);
}
