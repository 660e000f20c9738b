using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>
/// Runs the Node.js scripts of this folder (npm packages pinned in package.json and package-lock.json,
/// installed by scripts/test.sh with <c>npm ci</c>) and collects their output.
/// </summary>
internal static class NodeScript
{
    // A bound, not an expectation: the MCP script starts Chromium and signs in (a few seconds alone, more on 2 busy cores).
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    /// <summary>tests/Integration.Tests/Interop in the repository.</summary>
    private static string InteropDirectory => Path.Combine(RepositoryRoot, "tests", "Integration.Tests", "Interop");

    /// <summary>samples/McpServer in the repository (its own package.json and lockfile, installed by scripts/test.sh).</summary>
    public static string McpServerDirectory
    {
        get
        {
            var directory = Path.Combine(RepositoryRoot, "samples", "McpServer");
            RequirePackages(directory, "@modelcontextprotocol/sdk", "express", "jose");
            return directory;
        }
    }

    /// <summary>This folder, for the upstream OpenID Provider of the federation tests (upstream-oidc-provider.mjs, oidc-provider).</summary>
    public static string UpstreamProviderDirectory
    {
        get
        {
            RequirePackages(InteropDirectory, "oidc-provider");
            return InteropDirectory;
        }
    }

    /// <summary>The repository (found from AuthService.sln above the test output).</summary>
    private static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "AuthService.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new InvalidOperationException($"No AuthService.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Fails the test unless each package is installed in <paramref name="directory"/>/node_modules.</summary>
    private static void RequirePackages(string directory, params string[] packages)
    {
        foreach (var package in packages)
        {
            if (!File.Exists(Path.Combine(directory, "node_modules", package, "package.json")))
            {
                Assert.Fail($"{package} is not installed in {directory}/node_modules: run `npm ci` there (scripts/test.sh does; see .testrun/npm-{Path.GetFileName(directory)}.log).");
            }
        }
    }

    /// <summary>Runs <c>node</c> with <paramref name="arguments"/> in the interop folder; fails the test if Node.js or the packages are missing, or on timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var directory = InteropDirectory;
        RequirePackages(directory, "oauth4webapi", "jose", "openid-client", "undici", "@modelcontextprotocol/sdk", "playwright-core", "standardwebhooks");

        return await ChildProcess.RunAsync("node", arguments, directory, ScriptTimeout);
    }

    /// <summary>
    /// Runs a script that prints a JSON summary as its last stdout line against <paramref name="server"/>: fails the
    /// test with the script's and the server's output when it exits non-zero, else returns the summary and that text
    /// (for the assertion messages).
    /// </summary>
    public static async Task<(JsonElement Summary, string Diagnostics)> RunForSummaryAsync(
        ServerProcess server, ITestOutputHelper output, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunAsync(arguments);
        output.WriteLine(stderr);
        output.WriteLine(stdout);
        var diagnostics = $"node {string.Join(' ', arguments.Take(1))} exited {exitCode}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- server (last 4000 chars) ---\n{Tail(server.Output, 4000)}";
        Assert.True(exitCode == 0, diagnostics);
        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.False(string.IsNullOrEmpty(lastLine), diagnostics);
        return (JsonDocument.Parse(lastLine).RootElement.Clone(), diagnostics);
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
