using System.Net;
using System.Text.Json.Nodes;
using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthService.Integration.Tests.Infrastructure.Admin;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// <c>/admin/external-providers</c> (docs/adr/0037 "Administration"): the lifecycle with entity tags, the write-only
/// secret, the 409s, the 400s naming the member, and the audit log.
/// </summary>
public sealed class ExternalProviderAdminTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private const string Secret = "GOCSPX-google-secret-0123456789";

    private static string PathOf(string name) => "/admin/external-providers/" + name;

    private static JsonObject Google(string name, string? secret = Secret) => new()
    {
        ["name"] = name, ["display_name"] = "Google", ["preset"] = "google", ["client_id"] = "1234-abc.apps.googleusercontent.com",
        ["client_secret"] = secret, ["trust_email_verified"] = true, ["allowed_email_domains"] = new JsonArray("Example.com"),
    };

    private async Task<string> StoredSecretAsync(string name)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var provider = await scope.ServiceProvider.GetRequiredService<IExternalProviderRepository>().FindByNameAsync(name, CancellationToken.None);
        return scope.ServiceProvider.GetRequiredService<IExternalProviderSecrets>().Unprotect(name, provider!.ProtectedSecret!);
    }

    [Fact]
    public async Task A_provider_is_created_read_listed_replaced_and_deleted_and_the_secret_is_never_returned()
    {
        using var admin = await fixture.AdminAsync();

        using var created = await admin.PostAsync("/admin/external-providers", Json(Google("google").ToJsonString()));
        var body = await created.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(PathOf("google"), created.Headers.Location!.OriginalString);
        Assert.NotNull(created.Headers.ETag);
        Assert.Equal("https://accounts.google.com", body.GetProperty("issuer").GetString());
        Assert.Equal("openid_connect", body.GetProperty("protocol").GetString());
        Assert.Equal("query", body.GetProperty("response_mode").GetString());
        Assert.Equal(["example.com"], body.GetProperty("allowed_email_domains").EnumerateArray().Select(d => d.GetString()));
        Assert.True(body.GetProperty("client_secret_set").GetBoolean());
        Assert.False(body.TryGetProperty("client_secret", out _));
        Assert.DoesNotContain(Secret, await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Secret, await StoredSecretAsync("google"));

        using var read = await admin.GetAsync(PathOf("google"));
        var readText = await read.Content.ReadAsStringAsync();
        Assert.Equal("Google", (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("display_name").GetString());
        Assert.DoesNotContain(Secret, readText, StringComparison.Ordinal);
        var listed = await (await admin.GetAsync("/admin/external-providers")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), p => p.GetProperty("name").GetString() == "google");
        Assert.DoesNotContain(Secret, listed.ToString(), StringComparison.Ordinal);

        // Replaced without a secret: the stored one stays. A stale ETag is refused first.
        var replacement = Google("google", secret: null);
        replacement.Remove("client_secret");
        replacement["display_name"] = "Google Workspace";
        using (var stale = await admin.SendAsync(Request(HttpMethod.Put, PathOf("google"), replacement.ToJsonString(), "\"99\"")))
        {
            await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using var replaced = await admin.SendAsync(Request(HttpMethod.Put, PathOf("google"), replacement.ToJsonString(), read.Headers.ETag!.ToString()));
        var replacedBody = await replaced.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Google Workspace", replacedBody.GetProperty("display_name").GetString());
        Assert.True(replacedBody.GetProperty("client_secret_set").GetBoolean());
        Assert.NotEqual(read.Headers.ETag!.ToString(), replaced.Headers.ETag!.ToString());
        Assert.Equal(Secret, await StoredSecretAsync("google"));

        // A new secret is stored; never echoed.
        using (var rotated = await admin.SendAsync(Request(HttpMethod.Put, PathOf("google"), Google("google", "rotated-secret-0123456789").ToJsonString())))
        {
            Assert.DoesNotContain("rotated-secret", await rotated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await rotated.ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal("rotated-secret-0123456789", await StoredSecretAsync("google"));

        using (var duplicate = await admin.PostAsync("/admin/external-providers", Json(Google("google").ToJsonString())))
        {
            await duplicate.ProblemAsync(HttpStatusCode.Conflict);
        }

        using (var staleDelete = await admin.SendAsync(Request(HttpMethod.Delete, PathOf("google"), ifMatch: replaced.Headers.ETag!.ToString())))
        {
            await staleDelete.ProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using var deleted = await admin.DeleteAsync(PathOf("google"));
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        using (var gone = await admin.GetAsync(PathOf("google")))
        {
            await gone.ProblemAsync(HttpStatusCode.NotFound);
        }

        await admin.AssertAuditedAsync("external_provider", "google", "external_provider.created");
        await admin.AssertAuditedAsync("external_provider", "google", "external_provider.deleted");
        Assert.Equal(2, (await admin.AuditAsync("subject=google&event_type=external_provider.updated")).Count);
    }

    [Fact]
    public async Task A_provider_with_linked_accounts_is_not_deleted_but_can_be_disabled()
    {
        using var admin = await fixture.AdminAsync();
        await FederationTesting.EnsureProviderAsync(fixture.Factory, "linked-idp", "Linked IdP");
        var alice = await FederationTesting.UserIdAsync(fixture.Factory, SignInClients.AliceUsername);
        await FederationTesting.LinkAsync(fixture.Factory, alice, "linked-idp", "upstream-alice", SignInClients.AliceEmail);

        using (var refused = await admin.DeleteAsync(PathOf("linked-idp")))
        {
            var problem = await refused.ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("Disable it instead", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var read = await admin.GetAsync(PathOf("linked-idp"));
        await read.ExpectAsync(HttpStatusCode.OK);
        var disable = new JsonObject
        {
            ["display_name"] = "Linked IdP", ["client_id"] = "client-of-linked-idp", ["issuer"] = "https://linked-idp.example", ["enabled"] = false,
        };
        using var disabled = await admin.SendAsync(Request(HttpMethod.Put, PathOf("linked-idp"), disable.ToJsonString(), read.Headers.ETag!.ToString()));
        var body = await disabled.ExpectAsync(HttpStatusCode.OK);
        Assert.False(body.GetProperty("enabled").GetBoolean());
        Assert.True(body.GetProperty("client_secret_set").GetBoolean());
        Assert.Single(await FederationTesting.LinksAsync(fixture.Factory, alice));
    }

    [Fact] // The delete's check and its save race a first sign-in linking through the provider: the store's key decides, a conflict, never a 500.
    public async Task A_link_made_between_a_deletes_check_and_its_save_makes_the_save_a_conflict()
    {
        await FederationTesting.EnsureProviderAsync(fixture.Factory, "racing-idp", "Racing IdP");
        await using var deleting = fixture.Factory.Services.CreateAsyncScope();
        var provider = await deleting.ServiceProvider.GetRequiredService<IExternalProviderRepository>().FindByNameAsync("racing-idp", CancellationToken.None);
        Assert.False(await deleting.ServiceProvider.GetRequiredService<IExternalIdentityRepository>().AnyForProviderAsync(provider!.Id, CancellationToken.None));

        var bob = await FederationTesting.UserIdAsync(fixture.Factory, SignInClients.BobUsername);
        await FederationTesting.LinkAsync(fixture.Factory, bob, "racing-idp", "upstream-racer", null); // the other writer wins
        provider.Delete(DateTimeOffset.UtcNow);
        deleting.ServiceProvider.GetRequiredService<IExternalProviderRepository>().Remove(provider);

        Assert.Equal(Domain.Common.SaveResult.ConcurrencyConflict,
            await deleting.ServiceProvider.GetRequiredService<Domain.Common.IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        using var admin = await fixture.AdminAsync();
        await (await admin.GetAsync(PathOf("racing-idp"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await admin.AuditAsync("subject=racing-idp&event_type=external_provider.deleted"));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"name":"Google!","display_name":"G","preset":"google","client_id":"c"}""", "name" },
        { """{"display_name":"G","preset":"google","client_id":"c"}""", "name" },
        { """{"name":"plain","display_name":"G","client_id":"c","issuer":"http://idp.example.com"}""", "issuer" },
        { """{"name":"plain","display_name":"G","client_id":"c","issuer":"https://idp.example.com/#x"}""", "issuer" },
        { """{"name":"plain","display_name":"G","client_id":"c","preset":"facebook"}""", "preset" },
        { """{"name":"plain","display_name":"G","client_id":"c","protocol":"oauth2"}""", "authorization_endpoint" },
        { """{"name":"plain","display_name":"G","client_id":"c","protocol":"saml","issuer":"https://idp.example.com"}""", "protocol" },
        { """{"name":"plain","preset":"google","client_id":"c"}""", "display_name" },
        { """{"name":"plain","display_name":"G","preset":"google"}""", "client_id" },
        { """{"name":"plain","display_name":"G","preset":"google","client_id":"c","scopes":[""]}""", "scopes" },
        { """{"name":"plain","display_name":"G","preset":"apple","client_id":"c"}""", "apple" },
        { """{"name":"plain","display_name":"G","preset":"google","client_id":"c","response_mode":"fragment"}""", "response_mode" },
        { """{"name":"plain","display_name":"G","preset":"google","client_id":"c","client_secret":"s-0123456789","apple_private_key":"k-0123456789"}""", "apple_private_key" },
        { """{"name":"plain","display_name":"G","preset":"google","client_id":"c","client_secret":"SECRET-VALUE-0123456789","unknown":1}""", "unknown" },
        { "null", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_provider_is_a_400_naming_the_member_and_stores_nothing(string body, string member)
    {
        using var admin = await fixture.AdminAsync();

        using var response = await admin.PostAsync("/admin/external-providers", Json(body));

        await response.ProblemAsync(HttpStatusCode.BadRequest, member);
        Assert.DoesNotContain("SECRET-VALUE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var absent = await admin.GetAsync(PathOf("plain"));
        await absent.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_secret_too_long_is_refused_without_echoing_it()
    {
        using var admin = await fixture.AdminAsync();
        var tooLong = "SECRET-VALUE-" + new string('x', 5000);

        using var response = await admin.PostAsync("/admin/external-providers", Json(Google("too-long", tooLong).ToJsonString()));

        await response.ProblemAsync(HttpStatusCode.BadRequest, "client_secret");
        Assert.DoesNotContain("SECRET-VALUE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replacement_cannot_rename_the_provider_and_an_unknown_one_is_404()
    {
        using var admin = await fixture.AdminAsync();
        await FederationTesting.EnsureProviderAsync(fixture.Factory, "fixed-name", "Fixed");

        using (var renamed = await admin.SendAsync(Request(HttpMethod.Put, PathOf("fixed-name"), Google("other-name").ToJsonString())))
        {
            await renamed.ProblemAsync(HttpStatusCode.BadRequest, "name");
        }

        using (var unknown = await admin.SendAsync(Request(HttpMethod.Put, PathOf("no-such-idp"), Google("no-such-idp").ToJsonString())))
        {
            await unknown.ProblemAsync(HttpStatusCode.NotFound);
        }

        using var missing = await admin.DeleteAsync(PathOf("no-such-idp"));
        await missing.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_is_ordered_by_name_and_paged()
    {
        using var admin = await fixture.AdminAsync();
        foreach (var name in (string[])["page-a", "page-b", "page-c"])
        {
            await FederationTesting.EnsureProviderAsync(fixture.Factory, name, name.ToUpperInvariant());
        }

        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync("/admin/external-providers?limit=1" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))
                .ExpectAsync(HttpStatusCode.OK);
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Distinct(), names);
        Assert.Contains("page-b", names);
    }
}
