using System.Text.Json;
using AuthService.Integration.Tests.Guides;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Sdk;

/// <summary>
/// The generated TypeScript SDK (sdk/typescript: openapi-typescript types, openapi-fetch calls, installed by
/// scripts/test.sh with <c>npm ci</c> from its lock file): its example is type-checked with <c>tsc --noEmit</c> (so a path,
/// parameter or body the generated types do not allow fails here), compiled, and run with Node against the real server:
/// token, create a client, read it, list it, delete it, and the 404 problem after that.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class TypeScriptSdkTests(SdkServer server, ITestOutputHelper output)
{
    // A bound, not an expectation: tsc takes a few seconds alone, more on 2 cores shared with the rest of the suite.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    private static string PackageDirectory => Path.Combine(Repository.Root, "sdk", "typescript");

    [Fact]
    public async Task The_TypeScript_SDK_example_type_checks_and_manages_a_client_against_the_server()
    {
        foreach (var package in new[] { "openapi-fetch", "typescript", "@types/node" })
        {
            Assert.True(File.Exists(Path.Combine(PackageDirectory, "node_modules", package, "package.json")),
                $"{package} is not installed in sdk/typescript/node_modules: run `npm ci` there (scripts/test.sh does; see .testrun/npm.log).");
        }

        var tsc = Path.Combine("node_modules", "typescript", "bin", "tsc");
        await RunNodeAsync(tsc, "-p", "tsconfig.json", "--noEmit");
        await RunNodeAsync(tsc, "-p", "tsconfig.json");

        var stdout = await RunNodeAsync(Path.Combine("dist", "example", "manage-clients.js"),
            server.BaseAddress.AbsoluteUri.TrimEnd('/'), SdkServer.AdminClientId, SdkServer.AdminClientSecret);
        var summary = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]).RootElement;

        var clientId = summary.GetProperty("created").GetString();
        Assert.StartsWith("sdk-ts-", clientId, StringComparison.Ordinal);
        Assert.Equal("Made by the TypeScript SDK", summary.GetProperty("createdName").GetString());
        Assert.True(summary.GetProperty("secretIssued").GetBoolean());
        Assert.Equal(clientId, summary.GetProperty("read").GetString());
        Assert.Equal([clientId], summary.GetProperty("listed").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal(204, summary.GetProperty("deletedStatus").GetInt32());
        Assert.Equal(404, summary.GetProperty("goneStatus").GetInt32());
        Assert.StartsWith("application/problem+json", summary.GetProperty("goneContentType").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, summary.GetProperty("goneProblemStatus").GetInt32());

        // The example really went through the server: the client it deleted is gone.
        using var http = server.NewClient();
        var token = await AuthService.AdminClient.AdminApi.GetAccessTokenAsync(http, SdkServer.AdminClientId, SdkServer.AdminClientSecret);
        var admin = AuthService.AdminClient.AdminApi.Create(http, token);
        var page = await admin.Admin.Clients.GetAsync(request => request.QueryParameters.ClientId = clientId);
        Assert.Empty(page?.Items ?? []);
    }

    /// <summary>Runs <c>node args</c> in sdk/typescript; fails the test with its output unless it exits 0 in time. Returns stdout.</summary>
    private async Task<string> RunNodeAsync(params string[] args)
    {
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync("node", args, PackageDirectory, StepTimeout);
        var text = $"node {string.Join(' ', args)}: exit {exitCode}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}";
        output.WriteLine(text);
        Assert.True(exitCode == 0, $"{text}\n--- server (last 4000 chars) ---\n{Tail(server.Process.Output, 4000)}");
        return stdout;
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
