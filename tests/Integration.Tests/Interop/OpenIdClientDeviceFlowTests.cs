using AuthService.Integration.Tests.BrowserTests;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>
/// Issue 12's interop goal: the npm package <c>openid-client</c>, unmodified and through its public API only
/// (<c>initiateDeviceAuthorization</c>, <c>pollDeviceAuthorizationGrant</c>), runs the device authorization grant
/// (RFC 8628) against the real server process as a public client with DPoP (RFC 9449), while a user signs in and allows
/// on the verification page (<c>openid-client-device-flow.mjs</c>).
/// </summary>
public sealed class OpenIdClientDeviceFlowTests(DeviceFlowBrowserServer server, ITestOutputHelper output) : IClassFixture<DeviceFlowBrowserServer>
{
    [Fact]
    public async Task Openid_client_runs_the_device_flow_with_dpop()
    {
        var (summary, diagnostics) = await NodeScript.RunForSummaryAsync(server.Process, output,
            "openid-client-device-flow.mjs", server.Issuer, DeviceFlowBrowserServer.ClientId, DeviceFlowBrowserServer.Username, DeviceFlowBrowserServer.Password);

        Assert.Equal(server.Issuer + "/connect/deviceauthorization", summary.GetProperty("device_authorization_endpoint").GetString());
        Assert.Equal(server.Issuer + "/device", summary.GetProperty("verification_uri").GetString());
        Assert.Equal(["sign-in", "consent"], summary.GetProperty("pages").EnumerateArray().Select(p => p.GetString()));

        // RFC 9449 §5: the access token is bound to the key openid-client made.
        Assert.Equal("dpop", summary.GetProperty("token_type").GetString()!.ToLowerInvariant());
        Assert.Equal(summary.GetProperty("dpop_jkt").GetString(), summary.GetProperty("cnf_jkt").GetString());

        // The ID token as in the code flow: the user, the session that approved, when they signed in.
        Assert.False(string.IsNullOrEmpty(summary.GetProperty("sub").GetString()), diagnostics);
        Assert.Equal(summary.GetProperty("sub").GetString(), summary.GetProperty("access_sub").GetString());
        Assert.False(string.IsNullOrEmpty(summary.GetProperty("sid").GetString()), diagnostics);
        Assert.True(summary.GetProperty("auth_time").GetInt64() > 0, diagnostics);
        Assert.True(summary.GetProperty("has_refresh_token").GetBoolean(), diagnostics);
    }
}
