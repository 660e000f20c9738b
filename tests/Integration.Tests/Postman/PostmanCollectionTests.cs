using System.Text.Json;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Guides;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Postman;

/// <summary>
/// docs/postman/AuthService.postman_collection.json runs with newman (tools/postman, installed by scripts/test.sh from its
/// lock file) against AuthService as its own process with the demo seed, as docs/guides/postman.md says to start it, every
/// folder of it: the code flow's browser steps are requests that submit the server's own sign-in and consent forms, so
/// none is left out. The collection covers every endpoint of the discovery document and every operation of the OpenAPI
/// document, and is what tools/postman/build.mjs writes.
/// </summary>
public sealed partial class PostmanCollectionTests(PostmanCollectionTests.PostmanServer server, ITestOutputHelper output) : IClassFixture<PostmanCollectionTests.PostmanServer>
{
    // A bound, not an expectation: the run takes about 15 s (the device flow waits its 5 s poll interval once).
    private static readonly TimeSpan NewmanTimeout = TimeSpan.FromSeconds(120);

    private static string PostmanDirectory => Path.Combine(Repository.Root, "docs", "postman");

    private static string ToolDirectory => Path.Combine(Repository.Root, "tools", "postman");

    private static string CollectionPath => Path.Combine(PostmanDirectory, "AuthService.postman_collection.json");

    [Fact]
    public async Task The_collection_runs_with_newman_against_the_demo_server_without_a_failed_assertion_or_request()
    {
        var newman = Path.Combine(ToolDirectory, "node_modules", "newman", "bin", "newman.js");
        Assert.True(File.Exists(newman), $"newman is not installed in {ToolDirectory}/node_modules: run `npm ci` there (scripts/test.sh does; see .testrun/npm.log).");
        var report = Path.Combine(Path.GetTempPath(), $"authservice-newman-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, stdout, stderr) = await RunNodeAsync(
                [
                    newman, "run", CollectionPath,
                    "--environment", Path.Combine(PostmanDirectory, "AuthService.postman_environment.json"),
                    "--env-var", $"baseUrl={server.Issuer}",
                    "--reporters", "cli,json", "--reporter-json-export", report,
                    "--reporter-cli-no-success-assertions", "--color", "off", "--disable-unicode", "--timeout-request", "30000",
                ]);
            output.WriteLine($"newman exited with {exitCode}\n{stdout}{stderr}");
            Assert.True(File.Exists(report), $"newman wrote no report (exit {exitCode}).\n{stdout}\n{stderr}");

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            var run = document.RootElement.GetProperty("run");
            var failures = run.GetProperty("failures").EnumerateArray()
                .Select(failure => $"{failure.GetProperty("source").GetProperty("name").GetString()}: {Describe(failure.GetProperty("error"))}")
                .ToList();
            var stats = run.GetProperty("stats");
            Assert.True(failures.Count == 0, $"{failures.Count} newman failures:\n{string.Join('\n', failures)}");
            Assert.Equal(0, stats.GetProperty("assertions").GetProperty("failed").GetInt32());
            Assert.Equal(0, stats.GetProperty("requests").GetProperty("failed").GetInt32());
            Assert.Equal(0, stats.GetProperty("testScripts").GetProperty("failed").GetInt32());
            Assert.Equal(0, stats.GetProperty("prerequestScripts").GetProperty("failed").GetInt32());
            // Every request of the collection ran (none left out by a folder selection or skipped) and was tested. An item's
            // pm.sendRequest calls (the cached tokens) are executions of that item too, hence the distinct item ids.
            var executedItems = run.GetProperty("executions").EnumerateArray().Select(execution => execution.GetProperty("item").GetProperty("id").GetString()).Distinct(StringComparer.Ordinal).Count();
            Assert.Equal(Requests().Count, executedItems);
            Assert.True(stats.GetProperty("assertions").GetProperty("total").GetInt32() >= 2 * Requests().Count, "Fewer than two assertions a request.");
            Assert.Equal(0, exitCode);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task The_collection_has_a_request_for_every_discovery_endpoint_and_every_openapi_operation()
    {
        var requests = Requests();
        var paths = requests.Select(request => request.Path).ToHashSet(StringComparer.Ordinal);

        using var discovery = JsonDocument.Parse(await server.Client.GetStringAsync("/.well-known/openid-configuration"));
        var endpoints = discovery.RootElement.EnumerateObject()
            .Where(member => member.Name != "issuer" && member.Value.ValueKind == JsonValueKind.String)
            .Select(member => (member.Name, Url: member.Value.GetString()!))
            .Where(member => member.Url.StartsWith(server.Issuer + "/", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(endpoints, endpoint => endpoint.Name == "registration_endpoint"); // the fixture's registration policy is on
        var missingEndpoints = endpoints.Where(endpoint => !paths.Contains(endpoint.Url[server.Issuer.Length..])).Select(endpoint => $"{endpoint.Name} {endpoint.Url}").ToList();
        Assert.True(missingEndpoints.Count == 0, $"Discovery endpoints without a request in the collection:\n{string.Join('\n', missingEndpoints)}");

        using var openApi = JsonDocument.Parse(await server.Client.GetStringAsync("/swagger/v1/swagger.json"));
        var operations = openApi.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {TemplateParameter().Replace(path.Name, "{}")}"))
            .ToList();
        Assert.Contains(operations, operation => operation.StartsWith("DELETE /admin/", StringComparison.Ordinal));
        var covered = requests.Select(request => $"{request.Method} {request.Path}").ToHashSet(StringComparer.Ordinal);
        var missingOperations = operations.Where(operation => !covered.Contains(operation)).ToList();
        Assert.True(missingOperations.Count == 0, $"OpenAPI operations without a request in the collection:\n{string.Join('\n', missingOperations)}");
    }

    [Fact]
    public async Task The_checked_in_collection_and_environment_are_what_build_mjs_writes()
    {
        var (exitCode, stdout, stderr) = await RunNodeAsync([Path.Combine(ToolDirectory, "build.mjs"), "--check"]);

        Assert.True(exitCode == 0, $"Run `node tools/postman/build.mjs` and commit docs/postman.\n{stdout}{stderr}");
    }

    private sealed record CollectionRequest(string Name, string Method, string Path);

    /// <summary>
    /// Every request of the collection, its path on <c>{{baseUrl}}</c> with each <c>{{variable}}</c> segment as <c>{}</c>
    /// (as an OpenAPI template's parameters are); requests to a URL taken from a response (a redirect) have no path.
    /// </summary>
    private static List<CollectionRequest> Requests()
    {
        using var collection = JsonDocument.Parse(File.ReadAllText(CollectionPath));
        var requests = new List<CollectionRequest>();
        Collect(collection.RootElement.GetProperty("item"), requests);
        return requests;

        static void Collect(JsonElement items, List<CollectionRequest> requests)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty("item", out var children))
                {
                    Collect(children, requests);
                    continue;
                }

                var request = item.GetProperty("request");
                var url = request.GetProperty("url");
                var raw = url.ValueKind == JsonValueKind.String ? url.GetString()! : url.GetProperty("raw").GetString()!;
                var path = raw.StartsWith("{{baseUrl}}", StringComparison.Ordinal)
                    ? VariableSegment().Replace(raw["{{baseUrl}}".Length..].Split('?')[0], "{}")
                    : "";
                requests.Add(new CollectionRequest(item.GetProperty("name").GetString()!, request.GetProperty("method").GetString()!, path));
            }
        }
    }

    [GeneratedRegex(@"\{[^/{}]+\}")]
    private static partial Regex TemplateParameter();

    [GeneratedRegex(@"\{\{[^/{}]+\}\}")]
    private static partial Regex VariableSegment();

    private static string Describe(JsonElement error) =>
        $"{(error.TryGetProperty("test", out var test) ? test.GetString() : error.TryGetProperty("name", out var name) ? name.GetString() : "error")}: " +
        $"{(error.TryGetProperty("message", out var message) ? message.GetString() : error.ToString())}";

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(IEnumerable<string> arguments) =>
        ChildProcess.RunAsync("node", arguments, ToolDirectory, NewmanTimeout);

    /// <summary>
    /// AuthService as docs/guides/postman.md starts it: scripts/run.sh's demo seed and Swagger, plus
    /// <c>Auth:Registration:Policy=initial_access_token</c> so the dynamic registration folder runs; its own process,
    /// port (on <c>localhost</c>, as the environment's baseUrl) and PostgreSQL database (<see cref="DemoServerProcess"/>).
    /// </summary>
    public sealed class PostmanServer : DemoServerProcess
    {
        /// <summary><c>http://localhost:PORT</c>: the server's address and issuer.</summary>
        public string Issuer => Address;

        /// <summary>A client for the server's own documents (discovery, OpenAPI).</summary>
        public HttpClient Client { get; private set; } = null!;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Auth__SwaggerEnabled"] = "true",
            ["Auth__Registration__Policy"] = "initial_access_token",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Client = new HttpClient { BaseAddress = new Uri(Issuer) };
        }

        public override Task DisposeAsync()
        {
            Client?.Dispose();
            return base.DisposeAsync();
        }
    }
}
