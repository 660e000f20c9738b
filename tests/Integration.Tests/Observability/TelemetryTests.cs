using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Observability;

/// <summary>
/// The telemetry of docs/adr/0042 on the real pipeline: what the server exports while it issues tokens, signs people in and
/// refuses them. Spans: request → use case → SQL, and not one secret in any attribute, event, link or status. Metrics: the
/// Prometheus scrape shows the counters with their tags.
/// </summary>
[Collection(TelemetryFixture.Collection)]
public sealed partial class TelemetryTests(TelemetryFixture server) : IClassFixture<TelemetryFixture>
{
    private const string WrongPassword = "wrong-password-7c51e0a2b9";

    [Fact]
    public async Task Exported_spans_nest_request_use_case_and_sql_and_carry_no_secret()
    {
        var secrets = new List<string> { TelemetryFixture.ProbeSecret, SignInClients.AlicePassword, WrongPassword };
        var basic = Protocol.Basic(TelemetryFixture.ProbeClient, TelemetryFixture.ProbeSecret);
        secrets.Add(basic.Parameter!);

        // Client credentials.
        var issued = await server.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials"), ("scope", "api.read")), basic);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        secrets.Add((await issued.JsonAsync()).GetProperty("access_token").GetString()!);

        // A query string holding a secret (as e-mail links and authorization responses do) is not recorded.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/.well-known/openid-configuration?leak={Uri.EscapeDataString(TelemetryFixture.ProbeSecret)}")).StatusCode);

        // The code flow with PKCE, then a refresh.
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(TelemetryFixture.ProbeClient, TelemetryFixture.Redirect, "openid offline_access api.read", pkce);
        secrets.AddRange(new[] { code, pkce.Verifier });
        var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, TelemetryFixture.ProbeClient, TelemetryFixture.ProbeSecret, code, pkce.Verifier, TelemetryFixture.Redirect);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var tokens = await redeemed.JsonAsync();
        secrets.AddRange(new[] { "access_token", "refresh_token", "id_token" }.Select(name => tokens.GetProperty(name).GetString()!));
        var refreshed = await CodeFlowTokens.RefreshAsync(server.Client, TelemetryFixture.ProbeClient, TelemetryFixture.ProbeSecret, tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var rotated = await refreshed.JsonAsync();
        secrets.AddRange(new[] { "access_token", "refresh_token" }.Select(name => rotated.GetProperty(name).GetString()!));

        // A failed sign-in with a known wrong password.
        using var stranger = server.NewBrowser();
        var (failed, failedHtml) = await SignInFailure.AttemptAsync(stranger,
            Browser.AuthorizeUrl(TelemetryFixture.ProbeClient, TelemetryFixture.Redirect, "openid", PkcePair.New()), SignInClients.AliceUsername, WrongPassword);
        SignInFailure.AssertFailed(failed, failedHtml);

        // The server span ends after the answer is sent: wait until the last request's use-case span has its request span.
        var spans = await Poll.UntilAsync(
            () => Task.FromResult(server.Spans.Snapshot()),
            all => new[] { "IssueClientCredentialsToken", "RedeemAuthorizationCode", "RefreshAccessToken", "SignIn" }
                    .All(name => all.Any(s => s.DisplayName == name && RequestSpanOf(s, all) is not null))
                && RequestSpanOf(LastRefresh(all), all) is not null,
            TimeSpan.FromSeconds(30),
            "the use-case spans of every request and their request spans",
            all => string.Join(", ", all.Select(s => $"{s.Source.Name}:{s.DisplayName}")));

        // request -> use case -> SQL: the refresh's SQL runs inside its use case, inside the POST to the token endpoint.
        var refresh = LastRefresh(spans);
        var request = RequestSpanOf(refresh, spans)!;
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal("/connect/token", request.GetTagItem("http.route"));
        var sql = spans.Where(s => s.Source.Name == "Npgsql" && s.ParentSpanId == refresh.SpanId).ToList();
        Assert.NotEmpty(sql);
        Assert.All(sql, s => Assert.Equal(refresh.TraceId, s.TraceId));

        // Not one secret anywhere a span carries text; no query string attribute at all.
        var leaks = (from span in spans
                     from text in TextsOf(span)
                     from secret in secrets
                     where text.Contains(secret, StringComparison.Ordinal)
                     select $"{span.Source.Name}:{span.DisplayName} carries a secret in \"{Shorten(text, secret)}\"").Distinct().ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
        Assert.DoesNotContain(spans, s => s.GetTagItem("url.query") is not null);
    }

    [Fact]
    public async Task The_scrape_endpoint_shows_tokens_by_grant_and_client_errors_by_code_and_refresh_reuse()
    {
        var basic = Protocol.Basic(TelemetryFixture.ProbeClient, TelemetryFixture.ProbeSecret);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), basic)).StatusCode);

        // A failed request names no client, whatever client_id it claimed.
        var wrong = await server.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic("not-registered-client-x1", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // A rotated refresh token presented again: reuse detected.
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(TelemetryFixture.ProbeClient, TelemetryFixture.Redirect, "openid offline_access", pkce);
        var tokens = await (await CodeFlowTokens.RedeemAsync(server.Client, TelemetryFixture.ProbeClient, TelemetryFixture.ProbeSecret, code, pkce.Verifier, TelemetryFixture.Redirect)).JsonAsync();
        var first = tokens.GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await CodeFlowTokens.RefreshAsync(server.Client, TelemetryFixture.ProbeClient, TelemetryFixture.ProbeSecret, first)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await CodeFlowTokens.RefreshAsync(server.Client, TelemetryFixture.ProbeClient, TelemetryFixture.ProbeSecret, first)).StatusCode);

        var scrape = await server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var metrics = await scrape.Content.ReadAsStringAsync();

        Assert.True(Sample(metrics, "authservice_token_issued_total", L("grant_type", "client_credentials"), L("client_id", TelemetryFixture.ProbeClient)) >= 1, metrics);
        Assert.True(Sample(metrics, "authservice_token_issued_total", L("grant_type", "authorization_code"), L("client_id", TelemetryFixture.ProbeClient)) >= 1, metrics);
        Assert.True(Sample(metrics, "authservice_token_issued_total", L("grant_type", "refresh_token"), L("client_id", TelemetryFixture.ProbeClient)) >= 1, metrics);
        Assert.True(Sample(metrics, "authservice_token_errors_total", L("error", "invalid_client"), L("grant_type", "client_credentials")) >= 1, metrics);
        Assert.True(Sample(metrics, "authservice_token_errors_total", L("error", "invalid_grant"), L("grant_type", "refresh_token")) >= 1, metrics);
        Assert.True(Sample(metrics, "authservice_refresh_token_reuse_detected_total", L("client_id", TelemetryFixture.ProbeClient)) >= 1, metrics);
        Assert.True(Sample(metrics, "authservice_sign_in_attempts_total", L("outcome", "succeeded")) >= 1, metrics);
        Assert.DoesNotContain("not-registered-client-x1", metrics, StringComparison.Ordinal);

        // The gauges read the store: every algorithm's active key has an age; every outbox a backlog.
        foreach (var alg in new[] { "ES256", "RS256", "EdDSA" })
        {
            Assert.True(Sample(metrics, "authservice_signing_key_age_seconds", L("alg", alg)) >= 0, metrics);
        }

        foreach (var outbox in new[] { "email", "email_request", "logout_notification", "webhook_delivery" })
        {
            Assert.True(Sample(metrics, "authservice_outbox_pending", L("outbox", outbox)) >= 0, metrics);
        }

        // Npgsql's command time is there too. (ASP.NET Core's request duration is, as well, but its meter belongs to each host:
        // another test server's disposal can end that stream in this process, so it is not asserted here.)
        Assert.Matches(DbClientMetric(), metrics);
    }

    [Fact]
    public async Task A_failed_sign_in_is_counted_with_its_reason()
    {
        var before = Sample(await ScrapeAsync(), "authservice_sign_in_attempts_total", L("outcome", "failed"), L("reason", "wrong_password")) ?? 0;
        using var browser = server.NewBrowser();
        var (failed, html) = await SignInFailure.AttemptAsync(browser,
            Browser.AuthorizeUrl(TelemetryFixture.ProbeClient, TelemetryFixture.Redirect, "openid", PkcePair.New()), SignInClients.BobUsername, WrongPassword);
        SignInFailure.AssertFailed(failed, html);

        // The exporter may answer a scrape from its short response cache: ask again until the new count is out.
        await Poll.UntilAsync(
            async () => Sample(await ScrapeAsync(), "authservice_sign_in_attempts_total", L("outcome", "failed"), L("reason", "wrong_password")),
            after => after >= before + 1,
            TimeSpan.FromSeconds(10),
            $"more than {before} failed sign-ins with reason wrong_password");
    }

    private async Task<string> ScrapeAsync() => await (await server.Client.GetAsync("/metrics")).Content.ReadAsStringAsync();

    /// <summary>The value of the first sample of <paramref name="metric"/> carrying every one of <paramref name="labels"/>; null when none does.</summary>
    private static double? Sample(string exposition, string metric, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var labelText = line[(metric.Length + 1)..close];
            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(line[(close + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>A label as the exposition format writes it.</summary>
    private static string L(string name, string value) => $"{name}=\"{value}\"";

    /// <summary>The ASP.NET Core server span <paramref name="span"/> runs in (itself or an ancestor among the exported spans).</summary>
    private static Activity? RequestSpanOf(Activity span, IReadOnlyList<Activity> all)
    {
        for (var current = span; current is not null; current = all.FirstOrDefault(s => s.SpanId == current.ParentSpanId && s.TraceId == current.TraceId))
        {
            if (current.Kind == ActivityKind.Server)
            {
                return current;
            }
        }

        return null;
    }

    private static Activity LastRefresh(IReadOnlyList<Activity> spans) =>
        spans.Where(s => s.DisplayName == "RefreshAccessToken").OrderBy(s => s.StartTimeUtc).Last();

    /// <summary>Every text a span exports: name, status, attributes, events with theirs, links with theirs, baggage.</summary>
    private static IEnumerable<string> TextsOf(Activity span)
    {
        yield return span.DisplayName;
        yield return span.OperationName;
        if (span.StatusDescription is not null)
        {
            yield return span.StatusDescription;
        }

        foreach (var tag in span.TagObjects)
        {
            yield return $"{tag.Key}={Convert.ToString(tag.Value, CultureInfo.InvariantCulture)}";
        }

        foreach (var e in span.Events)
        {
            yield return e.Name;
            foreach (var tag in e.Tags)
            {
                yield return $"{tag.Key}={Convert.ToString(tag.Value, CultureInfo.InvariantCulture)}";
            }
        }

        foreach (var link in span.Links)
        {
            foreach (var tag in link.Tags ?? [])
            {
                yield return $"{tag.Key}={Convert.ToString(tag.Value, CultureInfo.InvariantCulture)}";
            }
        }

        foreach (var item in span.Baggage)
        {
            yield return $"{item.Key}={item.Value}";
        }
    }

    /// <summary>Where the secret sits, without printing it whole into the test log.</summary>
    private static string Shorten(string text, string secret)
    {
        var builder = new StringBuilder(text);
        builder.Replace(secret, secret[..Math.Min(4, secret.Length)] + "…");
        return builder.Length > 200 ? builder.ToString(0, 200) : builder.ToString();
    }

    [GeneratedRegex(@"(?m)^db_client_\w+\{")]
    private static partial Regex DbClientMetric();
}
