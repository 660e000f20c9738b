using System.Text.Json;

namespace AuthService.Integration.Tests.Admin;

/// <summary>The key and consent operations in the OpenAPI document: summaries, examples and their error responses.</summary>
public sealed class SigningKeyOpenApiTests(SwaggerServerFixture server) : IClassFixture<SwaggerServerFixture>
{
    [Theory]
    [InlineData("/admin/signing-keys", "get", "200 400")]
    [InlineData("/admin/signing-keys/{kid}", "get", "200 404")]
    [InlineData("/admin/signing-keys/rotate", "post", "201 400 409")]
    [InlineData("/admin/signing-keys/{kid}/revoke", "post", "200 400 404 409 412")]
    [InlineData("/admin/consents", "get", "200 400")]
    [InlineData("/admin/consents/{user_id}/{client_id}", "get", "200 400 404")]
    [InlineData("/admin/consents/{user_id}/{client_id}", "delete", "204 400 404 412")]
    public async Task Every_operation_has_a_summary_a_description_and_its_responses(string path, string method, string statuses)
    {
        var document = JsonDocument.Parse(await server.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("description").GetString()));
        foreach (var status in statuses.Split(' '))
        {
            Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{method} {path} documents {status}");
        }

        Assert.True(operation.TryGetProperty("security", out _), $"{method} {path} names the admin security scheme");
    }

    [Fact]
    public async Task Rotation_shows_a_request_example_and_revocation_a_response_example()
    {
        var paths = JsonDocument.Parse(await server.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.GetProperty("paths");

        var rotate = paths.GetProperty("/admin/signing-keys/rotate").GetProperty("post");
        var revoke = paths.GetProperty("/admin/signing-keys/{kid}/revoke").GetProperty("post");

        Assert.Equal("ES256", rotate.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("algorithm").GetString());
        Assert.Equal("revoked", revoke.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("state").GetString());
    }
}
