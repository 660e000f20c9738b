using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// The admin fixture sending its e-mail to a real SMTP server the test started (<see cref="SmtpSink"/>, plain SMTP on
/// loopback: <c>UseTls</c> false), with a worker that polls quickly and a request budget no test of the class exhausts.
/// </summary>
public class EmailFixture : AdminFixture, IAsyncDisposable
{
    /// <summary>A public device-flow client, for the device page's sign-in form.</summary>
    public const string Device = "EDV";

    public SmtpSink Smtp { get; } = new();

    protected override string SeedJson
    {
        get
        {
            var seed = AdminClients.SeedDocument();
            seed["clients"]!.AsArray().Add(TestClients.Client(Device, null, "none", ["urn:ietf:params:oauth:grant-type:device_code"], "openid"));
            return seed.ToJsonString();
        }
    }

    /// <summary>A fresh device authorization's <c>user_code</c> (RFC 8628 §3.2).</summary>
    public async Task<string> UserCodeAsync()
    {
        using var response = await Client.PostAsync("/connect/deviceauthorization",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = Device, ["scope"] = "openid" }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("user_code").GetString()!;
    }

    /// <summary>The e-mail settings; a subclass adds its own on top.</summary>
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:Email:Smtp:Host"] = "127.0.0.1",
        ["Auth:Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth:Email:Smtp:UseTls"] = "false",
        ["Auth:Email:From"] = "AuthService <no-reply@auth.example>",
        ["Auth:Email:PollInterval"] = "00:00:00.200",
        ["Auth:Email:RequestsPerAddress"] = "5",
        ["Auth:Email:RequestsPerSource"] = "1000",
    };

    async ValueTask IAsyncDisposable.DisposeAsync() => await Smtp.DisposeAsync();

    /// <summary>A new user (through the admin API) with the password <see cref="UserAdmin.Password"/> and an unverified address.</summary>
    public async Task<(string Username, string Email, string Id)> NewUserAsync(string prefix, string domain = "example.com")
    {
        using var admin = await AdminAsync();
        var username = UserAdmin.NewUsername(prefix);
        var email = $"{username}@{domain}";
        return (username, email, (await admin.CreateAsync(username, email: email)).Id());
    }

    /// <summary>Asks for a reset link for <paramref name="email"/> in <paramref name="browser"/> and returns the link the SMTP server received.</summary>
    public async Task<string> ResetLinkAsync(Browser browser, string email)
    {
        using var asked = await EmailPageTesting.AskForResetAsync(browser, email);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        return SmtpSink.LinkOf(await Smtp.MessageToAsync(email, "Reset your password"));
    }

    /// <summary>The messages the admin API lists for <paramref name="userId"/>.</summary>
    public async Task<List<JsonElement>> EmailsAsync(string? userId = null)
    {
        using var admin = await AdminAsync();
        using var response = await admin.GetAsync("/admin/emails" + (userId is null ? "" : "?user_id=" + userId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }
}
