namespace AuthService.Infrastructure.Security.Outbound;

/// <summary>
/// The outcome of a <see cref="HardenedFetcher.PostAsync"/>: the receiver's status, or the class (<see cref="Failure"/>:
/// <c>refused_url</c>, <c>refused_address</c>, <c>timeout</c>, <c>connection</c>) and text of the transport failure, with at
/// most a short sanitized excerpt of the body.
/// </summary>
public sealed record OutboundPostResult(int? StatusCode, string? Failure, string? FailureText, string? Excerpt)
{
    public const string RefusedUrl = "refused_url";
    public const string RefusedAddress = "refused_address";
    public const string Timeout = "timeout";
    public const string Connection = "connection";
}
