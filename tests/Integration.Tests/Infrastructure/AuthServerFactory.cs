using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// The real Program in memory, configured only through settings (as an operator would), in the
/// Production environment. Settings go in with <c>UseSetting</c> so Program sees them while it
/// registers services, not only after the host is built. <paramref name="testServices"/>, when given,
/// replaces services after Program has registered its own (e.g. a <see cref="FakeTimeProvider"/>
/// as the <see cref="TimeProvider"/>); only tests that control time use it.
/// </summary>
public sealed class AuthServerFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<Program>
{
    public IReadOnlyDictionary<string, string?> Settings { get; } = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }
}

/// <summary>A temporary folder holding a server's seed file and data directory, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("authservice-it-").FullName;
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public string WriteFile(string name, string contents)
    {
        var path = Combine(name);
        File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held by a dying process must not fail the test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

public static class ServerSettings
{
    /// <summary>
    /// The settings of an in-process server: a database, the fixed issuer and key-encryption key, a seed
    /// file and a data directory. The failure budget is large so that tests sending wrong secrets cannot
    /// throttle each other; the throttling tests set their own. So are the per-address limits (failed client
    /// authentication, sign-in, sign-up)
    /// (docs/adr/0043): every request of an in-process server comes from one address (none), so a class that signs many
    /// people in or up within a minute would otherwise meet them; the rate-limit tests set their own.
    /// An override whose value is null removes the setting, so that the server uses its own default.
    /// </summary>
    public static Dictionary<string, string?> For(
        string connectionString,
        string seedFile,
        string dataDirectory,
        string? keyEncryptionKey = null,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:AuthDb"] = connectionString,
            ["Auth:Issuer"] = TestClients.Issuer,
            ["Auth:KeyEncryptionKey"] = keyEncryptionKey ?? TestClients.KeyEncryptionKey,
            ["Auth:SeedFile"] = seedFile,
            ["Auth:DataDirectory"] = dataDirectory,
            ["Auth:ClientAuthenticationFailureLimit"] = "100000",
            ["Auth:RateLimits:Token:UnauthenticatedPermitsPerMinute"] = "100000",
            ["Auth:RateLimits:SignIn:PermitsPerMinute"] = "100000",
            ["Auth:RateLimits:SignUp:PermitsPerMinute"] = "100000",
            // The suite starts hundreds of servers: none warms up before readiness (docs/adr/0044) but WarmUpTests'.
            ["Auth:WarmUp:Enabled"] = "false",
            [RsaKeySizeSetting] = TestRsaKeySize,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    public const string RsaKeySizeSetting = "Auth:SigningKeys:RsaKeySize";

    /// <summary>
    /// The RS256 modulus of the test servers' first keys: 2048, a supported setting, instead of the default 3072. Every
    /// server start makes a new RSA key, and a 3072-bit one costs about 0.5 s of CPU on the 2-core CI machine (about an
    /// eighth of the suite's CPU, docs/benchmarks.md "The test suite's time"); signing and verifying do not depend on the
    /// size. The default is tested where it matters: RsaKeySizeTests and the JWKS test of DiscoveryTests.
    /// </summary>
    public const string TestRsaKeySize = "2048";
}
