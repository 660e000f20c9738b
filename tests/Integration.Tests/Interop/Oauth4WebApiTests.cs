using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AuthService.Integration.Tests.BrowserTests;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>
/// Interoperability with an off-the-shelf OpenID Connect client library, with no custom protocol code:
/// <c>flow.mjs</c> (in this folder) drives the npm package <c>oauth4webapi</c> (pinned in package.json and
/// package-lock.json; installed by scripts/test.sh with <c>npm ci</c>) under Node.js against the real server
/// process — discovery, PKCE S256, state and nonce, the authorization response check (RFC 9207 <c>iss</c>),
/// the code grant with ID token validation, UserInfo, refresh, introspection and revocation, all with
/// client_secret_basic. Only the user is scripted by hand (sign-in and consent pages over plain HTTP).
/// </summary>
public sealed class Oauth4WebApiTests(BrowserFlowServer server, ITestOutputHelper output) : IClassFixture<BrowserFlowServer>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Oauth4webapi_completes_the_code_flow_with_userinfo_refresh_introspection_and_revocation()
    {
        var (exitCode, stdout, stderr) = await RunNodeAsync(
            "flow.mjs", server.Issuer, BrowserFlowServer.ClientId, BrowserFlowServer.ClientSecret, server.Callback.RedirectUri,
            BrowserFlowServer.Username, BrowserFlowServer.Password);

        output.WriteLine(stderr);
        output.WriteLine(stdout);
        var diagnostics = $"node flow.mjs exited {exitCode}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- server (last 4000 chars) ---\n{Tail(server.Process.Output, 4000)}";
        Assert.True(exitCode == 0, diagnostics);

        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.False(string.IsNullOrEmpty(lastLine), diagnostics);
        var summary = JsonDocument.Parse(lastLine).RootElement;

        Assert.Equal(server.Issuer, summary.GetProperty("issuer").GetString());
        Assert.Equal(server.Issuer, summary.GetProperty("iss_in_response").GetString());
        var sub = summary.GetProperty("sub").GetString();
        Assert.False(string.IsNullOrEmpty(sub), diagnostics);
        Assert.Equal(sub, summary.GetProperty("userinfo_sub").GetString());
        Assert.True(summary.GetProperty("id_token_nonce_ok").GetBoolean(), diagnostics);
        Assert.Equal("alice@example.com", summary.GetProperty("email").GetString());
        Assert.Equal("Alice Example", summary.GetProperty("name").GetString());
        Assert.True(summary.GetProperty("refreshed").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("introspection_active").GetBoolean(), diagnostics);
        Assert.Equal(BrowserFlowServer.ClientId, summary.GetProperty("introspection_client_id").GetString());
        Assert.True(summary.GetProperty("revoked").GetBoolean(), diagnostics);
        Assert.Contains("sign-in", summary.GetProperty("pages").EnumerateArray().Select(p => p.GetString()));
    }

    /// <summary>tests/Integration.Tests/Interop in the repository (found from AuthService.sln above the test output).</summary>
    private static string InteropDirectory
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "AuthService.sln")))
            {
                root = root.Parent;
            }

            return root is null
                ? throw new InvalidOperationException($"No AuthService.sln above {AppContext.BaseDirectory}.")
                : Path.Combine(root.FullName, "tests", "Integration.Tests", "Interop");
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(params string[] arguments)
    {
        var directory = InteropDirectory;
        if (!File.Exists(Path.Combine(directory, "node_modules", "oauth4webapi", "package.json")))
        {
            Assert.Fail($"oauth4webapi is not installed in {directory}/node_modules: run `npm ci` there (scripts/test.sh does; see .testrun/npm.log).");
        }

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"Node.js (`node`) could not be started ({ex.Message}): install Node.js 20 or later.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(ScriptTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"node flow.mjs did not finish within {ScriptTimeout.TotalSeconds} s.\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
