using System.Text.RegularExpressions;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Guides;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Sdk;

/// <summary>
/// The one server of the SDK tests (<see cref="SdkCollection"/>): the built server as its own process on a free loopback
/// port, on its own PostgreSQL database, with the demo seed (the <c>admin-cli</c> client holding scope <c>admin</c>), Swagger
/// on, and the fixed issuer of scripts/generate-sdks.sh (read from the script, so the two cannot drift apart). The issuer
/// is not the address it listens on, as behind a reverse proxy: tokens name <c>https://auth.example.com</c> while the
/// SDKs call <see cref="BaseAddress"/>, so the OpenAPI document it serves is the one the script checks in.
/// </summary>
public sealed partial class SdkServer : DemoServerProcess
{
    /// <summary><c>http://127.0.0.1:PORT</c>: where the server listens.</summary>
    public Uri BaseAddress => new(Address);

    /// <summary>The issuer scripts/generate-sdks.sh gives its server (its <c>ISSUER=</c> line).</summary>
    public static string ScriptIssuer
    {
        get
        {
            var script = File.ReadAllText(Path.Combine(Repository.Root, "scripts", "generate-sdks.sh"));
            var match = IssuerLine().Match(script);
            Assert.True(match.Success, "scripts/generate-sdks.sh has no ISSUER=\"...\" line.");
            return match.Groups["issuer"].Value;
        }
    }

    protected override string Host => "127.0.0.1";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth__Issuer"] = ScriptIssuer,
        ["Auth__SwaggerEnabled"] = "true",
    };

    /// <summary>A client of the server's address, for the SDK and the test's own requests.</summary>
    public HttpClient NewClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    [GeneratedRegex("^ISSUER=\"(?<issuer>[^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex IssuerLine();
}

/// <summary>The SDK test classes share one <see cref="SdkServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SdkCollection : ICollectionFixture<SdkServer>
{
    public const string Name = "SDK server";
}
