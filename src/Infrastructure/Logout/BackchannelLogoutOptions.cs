using AuthService.Infrastructure.Outbox;

namespace AuthService.Infrastructure.Logout;

/// <summary>
/// The <c>Auth:BackchannelLogout</c> section: how the outbox of logout notifications is delivered. <see cref="OutboxOptions.RequestTimeout"/>
/// bounds one POST (Back-Channel Logout 1.0 §2.5 lets the OP give up on an unresponsive RP).
/// </summary>
public sealed class BackchannelLogoutOptions : OutboxOptions
{
    public const string SectionName = "Auth:BackchannelLogout";
}
