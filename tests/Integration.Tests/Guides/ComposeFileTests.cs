using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docker-compose.yml at the repository root cannot be run here (no Docker daemon), so it is read: every
/// <c>Auth__*</c> and <c>ConnectionStrings__*</c> setting it gives AuthService is a key of README's configuration table,
/// the files it mounts exist, the services it waits for are healthy-gated and exist, and the path its health check asks
/// answers 200 on a server seeded with the file the compose file mounts.
/// </summary>
public sealed partial class ComposeFileTests(ComposeFileTests.DemoSeedServer server) : IClassFixture<ComposeFileTests.DemoSeedServer>
{
    private const string ServiceName = "authservice";

    [Fact]
    public void Every_server_setting_is_a_documented_configuration_key()
    {
        var documented = DocumentedKeys();
        var settings = Environment(Service(ServiceName)).Keys
            .Where(key => key.StartsWith("Auth__", StringComparison.Ordinal) || key.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            .ToList();

        Assert.Contains("Auth__Issuer", settings);
        Assert.Contains("Auth__KeyEncryptionKey", settings);
        Assert.Contains("ConnectionStrings__AuthDb", settings);
        Assert.Contains("Auth__SeedFile", settings);
        var unknown = settings.Select(key => key.Replace("__", ":", StringComparison.Ordinal)).Where(key => !documented.Contains(key)).ToList();
        Assert.True(unknown.Count == 0, $"Not in README's configuration table: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_key_encryption_key_is_a_required_variable_and_postgres_is_waited_for()
    {
        var environment = Environment(Service(ServiceName));
        Assert.Matches(@"^\$\{AUTH_KEY_ENCRYPTION_KEY:\?", environment["Auth__KeyEncryptionKey"]);
        Assert.Contains("Host=postgres;", environment["ConnectionStrings__AuthDb"], StringComparison.Ordinal);

        var dependsOn = (YamlMappingNode)Service(ServiceName)["depends_on"];
        foreach (var (name, condition) in dependsOn.Children)
        {
            var dependency = Service(((YamlScalarNode)name).Value!);
            Assert.Equal("service_healthy", ((YamlScalarNode)((YamlMappingNode)condition)["condition"]).Value);
            Assert.True(dependency.Children.ContainsKey("healthcheck"), $"{name} has no health check to wait for.");
        }

        Assert.Contains("postgres", dependsOn.Children.Keys.Select(key => ((YamlScalarNode)key).Value));
        var postgres = Service("postgres");
        Assert.StartsWith("postgres:15", ((YamlScalarNode)postgres["image"]).Value, StringComparison.Ordinal);
        Assert.Contains("pg_isready", HealthCheckCommand(postgres), StringComparison.Ordinal);
        var volume = ((YamlScalarNode)((YamlSequenceNode)postgres["volumes"]).Children[0]).Value!.Split(':')[0];
        Assert.True(((YamlMappingNode)Root()["volumes"]).Children.ContainsKey(volume), $"{volume} is not a named volume.");
    }

    [Fact]
    public void The_mounted_seed_file_exists_and_is_the_configured_one()
    {
        var service = Service(ServiceName);
        var mounts = ((YamlSequenceNode)service["volumes"]).Children.Select(node => ((YamlScalarNode)node).Value!.Split(':')).ToList();
        var seed = Environment(service)["Auth__SeedFile"];
        var mount = Assert.Single(mounts, parts => parts[1] == seed);
        Assert.True(File.Exists(Path.Combine(Repository.Root, mount[0])), $"{mount[0]} does not exist.");
    }

    [Fact]
    public async Task The_health_check_asks_a_path_that_answers_200_when_the_server_is_ready()
    {
        var command = HealthCheckCommand(Service(ServiceName));
        var path = HealthPath().Match(command);
        Assert.True(path.Success, $"No GET path in the health check: {command}");
        Assert.Equal("/readyz", path.Groups["path"].Value);
        Assert.Contains("8080", command, StringComparison.Ordinal); // the Dockerfile's ASPNETCORE_URLS port

        using var response = await server.Client.GetAsync(new Uri(path.Groups["path"].Value, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The server seeded with the file docker-compose.yml mounts (src/WebApi/demo-seed.json).</summary>
    public sealed class DemoSeedServer : AuthServerFixture
    {
        protected override string SeedJson => File.ReadAllText(Path.Combine(Repository.Root, "src", "WebApi", "demo-seed.json"));
    }

    [GeneratedRegex(@"GET (?<path>/[A-Za-z0-9/_-]*) HTTP")]
    private static partial Regex HealthPath();

    [GeneratedRegex(@"^\| (?<keys>`[^|]+`) \|", RegexOptions.Multiline)]
    private static partial Regex ConfigurationRow();

    [GeneratedRegex("`(?<key>[^`]+)`")]
    private static partial Regex Quoted();

    /// <summary>
    /// The keys of README's "Configuration" table: a row's first cell lists one full key (<c>Auth:Email:Smtp:Host</c>) and
    /// its siblings by their last segment (<c>Port</c>) or as <c>...Name</c>.
    /// </summary>
    private static HashSet<string> DocumentedKeys()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match row in ConfigurationRow().Matches(table))
        {
            string? parent = null;
            foreach (Match quoted in Quoted().Matches(row.Groups["keys"].Value))
            {
                var key = quoted.Groups["key"].Value.Trim();
                if (key.Contains(':', StringComparison.Ordinal) && !key.StartsWith("...", StringComparison.Ordinal))
                {
                    parent = key[..key.LastIndexOf(':')];
                    keys.Add(key);
                }
                else if (parent is not null)
                {
                    keys.Add($"{parent}:{key.TrimStart('.')}");
                }
            }
        }

        return keys;
    }

    private static YamlMappingNode Root()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Repository.Root, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Root()["services"])[name];

    private static Dictionary<string, string> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service["environment"]).Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value!, StringComparer.Ordinal);

    private static string HealthCheckCommand(YamlMappingNode service) => ((YamlMappingNode)service["healthcheck"])["test"] switch
    {
        YamlSequenceNode sequence => string.Join(' ', sequence.Children.Select(node => ((YamlScalarNode)node).Value)),
        var scalar => ((YamlScalarNode)scalar).Value!,
    };
}
