using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Admin;

/// <summary><c>/admin/jobs</c>: the scheduled jobs' runs and "run now", through the real server and its Hangfire job server.</summary>
public sealed class JobAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Lists_the_rotation_and_clean_up_jobs_with_their_interval_and_next_run()
    {
        using var admin = await server.AdminAsync();

        var jobs = (await (await admin.GetAsync("/admin/jobs")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(["revocation-purge", "signing-key-rotation"], jobs.Select(j => j.GetProperty("name").GetString()));
        Assert.All(jobs, job =>
        {
            Assert.Equal(3600, job.GetProperty("interval_seconds").GetDouble()); // the defaults
            Assert.False(string.IsNullOrEmpty(job.GetProperty("description").GetString()));
            Assert.EndsWith("Z", job.GetProperty("next_run_at").GetString(), StringComparison.Ordinal);
        });
    }

    // An interval that no cron step repeats evenly runs at the longest even one below it, never less often,
    // on UTC multiples of it; /admin/jobs reports the interval used.
    [Fact]
    public async Task An_uneven_interval_runs_at_the_longest_even_interval_below_it_on_utc_multiples()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = new InProcessServer(database, AdminClients.SeedDocument().ToJsonString(), overrides: new Dictionary<string, string?>
        {
            ["Auth:RevocationPurgeIntervalSeconds"] = "465",
            ["Auth:SigningKeyRotation:CheckInterval"] = "00:00:45",
        });
        using var client = other.Start();
        using var tokenResponse = await client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret));
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (await OAuthAssert.TokenSuccessAsync(tokenResponse)).GetProperty("access_token").GetString());

        var jobs = (await (await client.GetAsync("/admin/jobs")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .ToDictionary(j => j.GetProperty("name").GetString()!);

        Assert.Equal(360, jobs["revocation-purge"].GetProperty("interval_seconds").GetDouble());
        Assert.Equal(30, jobs["signing-key-rotation"].GetProperty("interval_seconds").GetDouble());
        var purgeNext = jobs["revocation-purge"].GetProperty("next_run_at").GetDateTimeOffset();
        Assert.Equal((0, 0), (purgeNext.Minute % 6, purgeNext.Second));
        Assert.Equal(0, jobs["signing-key-rotation"].GetProperty("next_run_at").GetDateTimeOffset().Second % 30);
    }

    [Fact]
    public async Task Run_now_runs_the_job_once_and_is_audited()
    {
        using var admin = await server.AdminAsync();
        var before = await LastRunAsync(admin, "revocation-purge");

        using var response = await admin.PostAsync("/admin/jobs/revocation-purge/run", null);

        await response.ExpectAsync(HttpStatusCode.Accepted);
        await Poll.UntilAsync(() => LastRunAsync(admin, "revocation-purge"), after => after is not null && after != before,
            TimeSpan.FromSeconds(30), "the clean-up job to run");
        var entry = (await admin.AuditAsync("event_type=job.triggered&subject=revocation-purge")).First();
        Assert.Equal(("admin_client", AdminClients.Admin), (entry.GetProperty("actor_type").GetString(), entry.GetProperty("actor_id").GetString()));
    }

    [Fact]
    public async Task An_unknown_job_is_404_and_nothing_is_audited()
    {
        using var admin = await server.AdminAsync();

        await (await admin.PostAsync("/admin/jobs/no-such-job/run", null)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Empty(await admin.AuditAsync("subject=no-such-job"));
    }

    [Fact]
    public async Task The_dashboard_is_401_without_a_token_and_a_read_only_page_with_an_admin_token()
    {
        foreach (var path in new[] { "/admin/jobs/dashboard", "/admin/jobs/dashboard/recurring", "/admin/jobs/dashboard/stats" })
        {
            using var anonymous = await server.Client.GetAsync(path);
            await anonymous.ProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var admin = await server.AdminAsync();
        using var page = await admin.GetAsync("/admin/jobs/dashboard/recurring");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("signing-key-rotation", html, StringComparison.Ordinal);
        Assert.Contains("revocation-purge", html, StringComparison.Ordinal);
        // Read-only: no trigger or delete buttons; the audited API is the only way to act on the jobs.
        Assert.DoesNotContain("data-ajax=", html, StringComparison.Ordinal);
        // Its own scripts and styles load under the policy the dashboard path gets, and nothing else.
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        // A page rendered for an admin token is stored by no cache, nor are its resources.
        Assert.True(page.Headers.CacheControl?.NoStore, "Cache-Control: no-store on the dashboard");
        // No connection string or host of the storage on the page.
        Assert.DoesNotContain("Host=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_without_the_admin_scope_cannot_open_the_dashboard()
    {
        using var client = server.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await server.AdminTokenAsync(AdminClients.NotAdmin, AdminClients.NotAdminSecret, "api.read"));

        using var response = await client.GetAsync("/admin/jobs/dashboard");

        await response.ProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<string?> LastRunAsync(HttpClient admin, string name)
    {
        var jobs = (await (await admin.GetAsync("/admin/jobs")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray();
        var job = jobs.Single(j => j.GetProperty("name").GetString() == name);
        return job.GetProperty("previous_run_at").GetString();
    }
}
