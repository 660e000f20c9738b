using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Admin;

/// <summary>The users resource in the OpenAPI document Swagger UI shows (issue 4: every operation with a summary and its errors).</summary>
public sealed class UserOpenApiTests(SwaggerServerFixture server) : IClassFixture<SwaggerServerFixture>
{
    [Fact]
    public async Task Every_users_operation_is_documented_with_a_summary_and_its_error_responses()
    {
        using var response = await server.Client.GetAsync("/swagger/v1/swagger.json");
        var document = await response.ExpectAsync(HttpStatusCode.OK);
        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/admin/users", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!);

        Assert.Equal(
            ["CreateUser", "DeleteUser", "DisableUser", "EnableUser", "EndUserSession", "EndUserSessions", "GetUser", "InviteUser", "ListUserIdentities", "ListUserSessions", "ListUsers", "ResendInvitation", "ResetPasskeys", "ResetSecondFactors", "SendUserEmailVerification", "SetUserPassword",
                "UnlinkUserIdentity", "UnlockUser", "UpdateUser", "WithdrawInvitation"],
            operations.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (path, _, operation)) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), name);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), name);
            var statuses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.Contains("401", statuses);
            if (path.Contains("{id}", StringComparison.Ordinal))
            {
                Assert.True(statuses.Contains("404"), $"{name} documents no 404");
            }
        }

        Assert.Contains("password", operations["CreateUser"].Operation.GetProperty("requestBody").ToString(), StringComparison.Ordinal);
        Assert.Contains("409", operations["CreateUser"].Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("409", operations["InviteUser"].Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("409", operations["ResendInvitation"].Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("409", operations["WithdrawInvitation"].Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("412", operations["UpdateUser"].Operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }
}
