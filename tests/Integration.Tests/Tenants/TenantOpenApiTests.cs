using System.Text.Json;
using AuthService.Integration.Tests.Admin;

namespace AuthService.Integration.Tests.Tenants;

/// <summary>The tenant operations in the OpenAPI document: every one, with a summary, a description and its error responses.</summary>
public sealed class TenantOpenApiTests(SwaggerServerFixture server) : IClassFixture<SwaggerServerFixture>
{
    [Fact]
    public async Task Every_tenant_operation_is_documented_with_its_responses()
    {
        var paths = JsonDocument.Parse(await server.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .Where(p => p.Name.StartsWith("/admin/tenants", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Key: $"{o.Name} {p.Name}", Operation: o.Value)))
            .ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o);

        var expected = new Dictionary<string, string>
        {
            ["CreateTenant"] = "201 400 401 403 409",
            ["ListTenants"] = "200 400 401 403",
            ["GetTenant"] = "200 401 403 404",
            ["UpdateTenant"] = "200 400 401 403 404 412",
            ["DeleteTenant"] = "204 401 403 404 409 412",
            ["ListTenantMembers"] = "200 400 401 403 404",
            ["AddTenantMember"] = "201 400 401 403 404 409",
            ["ChangeTenantMemberRoles"] = "200 400 401 403 404 412",
            ["RemoveTenantMember"] = "204 400 401 403 404 412",
            ["ListTenantInvitations"] = "200 400 401 403 404",
            ["InviteToTenant"] = "201 400 401 403 404",
            ["ResendTenantInvitation"] = "200 401 403 404 409 412",
            ["WithdrawTenantInvitation"] = "204 401 403 404 409 412",
            ["CreateTenantWebhook"] = "201 400 401 403 404",
            ["ListTenantWebhooks"] = "200 400 401 403 404",
            ["GetTenantWebhook"] = "200 401 403 404",
            ["UpdateTenantWebhook"] = "200 400 401 403 404 412",
            ["DeleteTenantWebhook"] = "204 401 403 404 412",
            ["RotateTenantWebhookSecret"] = "200 401 403 404 412",
            ["ListTenantWebhookDeliveries"] = "200 400 401 403 404",
            ["ReplayTenantWebhookDelivery"] = "202 401 403 404 409",
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), operations.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (key, operation)) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), key);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), key);
            Assert.True(operation.TryGetProperty("security", out _), $"{key} names the admin security scheme");
            foreach (var status in expected[name].Split(' '))
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{key} documents {status}");
            }
        }

        // The tenant's webhook routes name the tenant in the path, as the other tenant routes do.
        var tenantWebhooks = paths.GetProperty("/admin/tenants/{tenantId}/webhooks").GetProperty("get").GetProperty("parameters").EnumerateArray();
        Assert.Contains(tenantWebhooks, p => p.GetProperty("name").GetString() == "tenantId" && p.GetProperty("in").GetString() == "path");

        var example = paths.GetProperty("/admin/tenants").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("example");
        Assert.Equal("acme", example.GetProperty("slug").GetString());
    }
}
