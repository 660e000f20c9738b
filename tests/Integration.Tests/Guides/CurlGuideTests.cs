using System.Text.RegularExpressions;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/curl.md runs as written: every <c>```bash</c> block marked <c># test: name</c> is run with bash, in the
/// guide's order, in one working folder (later snippets read files earlier ones wrote), after the <c>prelude</c> block's
/// helpers, against AuthService as its own process with the demo seed (src/WebApi/demo-seed.json, what scripts/run.sh
/// serves) on PostgreSQL, with the guide's <c>http://localhost:5000</c> replaced by that server's address. Each snippet
/// must exit 0 and print every <c># prints: ...</c> line of it.
/// </summary>
public sealed partial class CurlGuideTests(CurlGuideTests.DemoServer server, ITestOutputHelper output) : IClassFixture<CurlGuideTests.DemoServer>
{
    private const string GuideBase = "http://localhost:5000";

    // A bound, not an expectation: the device flow snippet waits the poll interval (5 s) once.
    private static readonly TimeSpan SnippetTimeout = TimeSpan.FromSeconds(60);

    private static string GuidePath => Path.Combine(Repository.Root, "docs", "guides", "curl.md");

    [Fact]
    public void The_guide_has_a_snippet_for_every_flow()
    {
        var names = Snippets().Select(snippet => snippet.Name).ToList();

        string[] required =
        [
            "discovery", "client-credentials-basic", "client-credentials-post", "introspect-and-revoke", "code-flow", "userinfo", "refresh",
            "par", "dpop", "device-flow", "token-exchange", "logout", "admin",
        ];
        Assert.Empty(required.Except(names));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Snippets().Where(snippet => snippet.Name != "prelude"), snippet => Assert.NotEmpty(snippet.Prints));
    }

    [Fact]
    public async Task Every_snippet_runs_against_the_demo_server_and_prints_what_the_guide_says()
    {
        var snippets = Snippets();
        var prelude = Assert.Single(snippets, snippet => snippet.Name == "prelude").Body;
        var directory = Directory.CreateTempSubdirectory("authservice-curl-guide-");
        try
        {
            foreach (var snippet in snippets.Where(snippet => snippet.Name != "prelude"))
            {
                var (exitCode, stdout, stderr) = await RunBashAsync(server.Localize($"set -euo pipefail\n{prelude}\n{snippet.Body}"), directory.FullName);
                output.WriteLine($"== {snippet.Name}: exit {exitCode}\n{stdout}{stderr}");
                Assert.True(exitCode == 0, $"Snippet {snippet.Name} exited with {exitCode}.\nstdout:\n{stdout}\nstderr:\n{stderr}");
                foreach (var expected in snippet.Prints.Select(server.Localize))
                {
                    Assert.True(stdout.Contains(expected, StringComparison.Ordinal), $"Snippet {snippet.Name} did not print \"{expected}\".\nstdout:\n{stdout}\nstderr:\n{stderr}");
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private sealed record Snippet(string Name, string Body, IReadOnlyList<string> Prints);

    [GeneratedRegex(@"^```bash\n(?<body># test: (?<name>[a-z0-9-]+)\n.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex TestedBlock();

    private static List<Snippet> Snippets() =>
        TestedBlock().Matches(File.ReadAllText(GuidePath).ReplaceLineEndings("\n"))
            .Select(match => new Snippet(
                match.Groups["name"].Value,
                match.Groups["body"].Value,
                match.Groups["body"].Value.Split('\n').Where(line => line.StartsWith("# prints: ", StringComparison.Ordinal)).Select(line => line["# prints: ".Length..]).ToList()))
            .ToList();

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunBashAsync(string script, string workingDirectory) =>
        ChildProcess.RunAsync("bash", [], workingDirectory, SnippetTimeout, standardInput: script);

    /// <summary>The demo server, whose address replaces the guide's.</summary>
    public sealed class DemoServer : DemoServerProcess
    {
        /// <summary><c>http://localhost:PORT</c>: the server's address and issuer.</summary>
        public string Issuer => Address;

        /// <summary>The guide's text with its server address replaced by this server's, plain and URL-encoded.</summary>
        public string Localize(string text) => text
            .Replace(GuideBase, Issuer, StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(GuideBase), Uri.EscapeDataString(Issuer), StringComparison.Ordinal);
    }
}
