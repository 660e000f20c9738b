using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// The server every guide's sample runs against: AuthService as its own process (<see cref="LoopbackServer"/>:
/// <c>dotnet AuthService.WebApi.dll</c> on a free loopback port, its own PostgreSQL database), seeded with the guide's
/// clients and people, so that a sample run as its own process reaches the issuer over a real socket. A subclass gives the
/// seed and, in <see cref="StartSamplesAsync"/>, starts what runs beside the server for the whole class (a Node app, an
/// API); those are stopped before the server.
/// </summary>
public abstract class GuideServer : IAsyncLifetime
{
    public const string Username = "gina";
    public const string Password = "gina-guide-password-0123";

    /// <summary>A second person, for a test that must meet the consent page after another test consented as the first.</summary>
    public const string OtherUsername = "hugo";
    public const string OtherPassword = "hugo-guide-password-0123";

    private readonly string _directory = Directory.CreateTempSubdirectory("authservice-guide-").FullName;
    private readonly List<ServerProcess> _samples = [];

    public ServerProcess Process { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT</c>: the server's address and issuer.</summary>
    public string Issuer { get; private set; } = null!;

    /// <summary>The guide's clients (and resources) for the seed file; without <c>users</c>, <see cref="Username"/> and <see cref="OtherUsername"/> are added.</summary>
    protected abstract JsonObject Seed();

    /// <summary>Starts, once the server is ready, what the class's tests share beside it (each through <see cref="Own"/>).</summary>
    protected virtual Task StartSamplesAsync() => Task.CompletedTask;

    /// <summary>A process started for the whole class: stopped, in reverse order, before the server.</summary>
    protected ServerProcess Own(ServerProcess process)
    {
        _samples.Add(process);
        return process;
    }

    /// <summary>Settings besides the seed, as environment variables (<c>Auth__...</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        var seed = Seed();
        seed["users"] ??= new JsonArray(new JsonObject
        {
            ["username"] = Username, ["email"] = "gina@example.com", ["email_verified"] = true, ["name"] = "Gina Guide", ["password"] = Password,
        }, new JsonObject
        {
            ["username"] = OtherUsername, ["email"] = "hugo@example.com", ["email_verified"] = true, ["name"] = "Hugo Guide", ["password"] = OtherPassword,
        });
        var seedFile = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seedFile, seed.ToJsonString());
        (Process, Issuer) = await LoopbackServer.StartAsync(Database.ConnectionString, seedFile, _directory, Settings);
        try
        {
            await StartSamplesAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A browser without JavaScript on this server: its own cookie jar, redirects not followed.</summary>
    public Browser NewBrowser() => EndSessionFlows.NewBrowser(new Uri(Issuer)).Browser;

    /// <summary>
    /// The person's side of an authorization request in <paramref name="browser"/>: open the URL, sign in and allow (or
    /// deny) when asked, following this server's redirects, which name the issuer in full (<see cref="Browser.FollowAsync"/>
    /// knows only the in-process servers' issuer). Returns the first response that leaves the server: the redirect to the client.
    /// </summary>
    public async Task<HttpResponseMessage> AuthorizeAsync(Browser browser, string url, string username, string password, bool allow = true)
    {
        var response = await FollowAsync(browser, await browser.GetAsync(url));
        for (var pages = 0; pages < 4 && response.StatusCode == System.Net.HttpStatusCode.OK; pages++)
        {
            var html = await response.Content.ReadAsStringAsync();
            if (html.Contains("name=\"password\"", StringComparison.Ordinal))
            {
                response = await browser.SignInAsync(html, username, password);
            }
            else if (html.Contains("name=\"decision\"", StringComparison.Ordinal))
            {
                response = await browser.ConsentAsync(html, allow);
            }
            else
            {
                break;
            }

            response = await FollowAsync(browser, response);
        }

        return response;
    }

    /// <summary>Follows redirects (and refresh pages) within this server; returns the first response that is not one.</summary>
    public async Task<HttpResponseMessage> FollowAsync(Browser browser, HttpResponseMessage response)
    {
        for (var hops = 0; hops < 10 && await Browser.NextAsync(response) is { } next
            && (next.StartsWith('/') || next.StartsWith(Issuer + "/", StringComparison.Ordinal)); hops++)
        {
            response = await browser.GetAsync(next);
        }

        return response;
    }

    /// <summary>A back-channel client of this server (token, introspection requests from the test itself).</summary>
    public HttpClient NewClient() => new() { BaseAddress = new Uri(Issuer), Timeout = TimeSpan.FromSeconds(30) };

    public Task<string> UserIdAsync(string username = Username) => CodeGrantSupport.UserIdAsync(Database, username);

    /// <summary>Starts a sample (<c>samples/NAME/NAME.dll</c>, built with the solution) against this server.</summary>
    public SampleProcess StartSample(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        SampleProcess.Start(ServerProcess.BuiltAssembly(Path.Combine("samples", name), name + ".dll"), [.. args, "--issuer", Issuer], environment);

    public virtual async Task DisposeAsync()
    {
        foreach (var sample in Enumerable.Reverse(_samples))
        {
            await sample.DisposeAsync();
        }

        await LoopbackServer.StopAsync(Process, Database, _directory);
    }
}
