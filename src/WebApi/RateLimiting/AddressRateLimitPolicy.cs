using System.Globalization;
using System.Threading.RateLimiting;
using AuthService.Application.Common.Security;
using AuthService.WebApi.Interaction;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.RateLimiting;

/// <summary>
/// A fixed one-minute window per source address for a browser form, answered beyond with a 429 page and Retry-After
/// (RFC 6585 §4, RFC 9110 §10.2.3) before any work is done: no password hash, no database. The address is the connection's,
/// which the forwarded-headers step has already replaced by the client's when the peer is a configured trusted proxy
/// (<c>Auth:ForwardedHeaders:TrustedProxies</c>, docs/adr/0045); an IPv6 address counts by its /64 (<see cref="AddressKey"/>).
/// </summary>
public abstract class AddressRateLimitPolicy(int permitsPerMinute, string message) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(SourceAddress(httpContext), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    /// <summary>The partition key: the key of the connection's remote address (an empty key when the host gives none, as a test server may).</summary>
    public static string SourceAddress(HttpContext httpContext) => AddressKey.For(httpContext.Connection.RemoteIpAddress);

    private ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return new ValueTask(Pages.Message("Please wait", message, StatusCodes.Status429TooManyRequests).ExecuteAsync(http));
    }
}

/// <summary>The sign-in form posts (<c>Auth:RateLimits:SignIn:PermitsPerMinute</c> per address).</summary>
public sealed class SignInRateLimitPolicy(IOptions<RateLimitOptions> options)
    : AddressRateLimitPolicy(options.Value.SignIn.PermitsPerMinute, "Too many sign-in attempts from your network. Wait a minute and try again.")
{
    public const string Name = "sign-in";
}

/// <summary>Account creation (<c>Auth:RateLimits:SignUp:PermitsPerMinute</c> per address).</summary>
public sealed class SignUpRateLimitPolicy(IOptions<RateLimitOptions> options)
    : AddressRateLimitPolicy(options.Value.SignUp.PermitsPerMinute, "Too many registrations from your network. Wait a minute and try again.")
{
    public const string Name = "sign-up";
}
