using System.Net;
using AuthService.AdminClient;
using AuthService.AdminClient.Models;

namespace AuthService.Integration.Tests.Sdk;

/// <summary>
/// The generated .NET SDK (sdk/dotnet, Kiota) against the real server: an admin token from the client credentials grant,
/// then a client onboarded, read back, found in the list and deleted, all through the generated request builders; the
/// RFC 9457 problem of a missing client surfaces as the SDK's <see cref="ProblemDetails"/> exception.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class DotnetSdkTests(SdkServer server)
{
    [Fact]
    public async Task The_dotnet_SDK_onboards_reads_lists_and_deletes_a_client()
    {
        using var http = server.NewClient();
        var token = await AdminApi.GetAccessTokenAsync(http, SdkServer.AdminClientId, SdkServer.AdminClientSecret);
        var admin = AdminApi.Create(http, token);
        var clientId = $"sdk-dotnet-{Guid.NewGuid():N}";

        var created = await admin.Admin.Clients.PostAsync(new ClientMetadata
        {
            ClientId = clientId,
            ClientName = "Made by the .NET SDK",
            GrantTypes = ["client_credentials"],
            Scope = "openid",
        });
        Assert.NotNull(created);
        Assert.Equal(clientId, created.ClientId);
        Assert.False(string.IsNullOrEmpty(created.ClientSecret), "A confidential client is given a secret at creation.");
        Assert.Equal("confidential", created.Type);

        var read = await admin.Admin.Clients[clientId].GetAsync();
        Assert.NotNull(read);
        Assert.Equal("Made by the .NET SDK", read.ClientName);
        Assert.Equal(["client_credentials"], read.GrantTypes);
        Assert.True(read.Enabled);

        var page = await admin.Admin.Clients.GetAsync(request => request.QueryParameters.ClientId = clientId);
        Assert.NotNull(page?.Items);
        Assert.Equal([clientId], page.Items.Select(client => client.ClientId));

        await admin.Admin.Clients[clientId].DeleteAsync();

        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => admin.Admin.Clients[clientId].GetAsync());
        Assert.Equal((int)HttpStatusCode.NotFound, problem.ResponseStatusCode);
        Assert.Equal((int)HttpStatusCode.NotFound, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title), "The problem has a title (RFC 9457 §3.1.3).");
    }

    [Fact]
    public async Task Without_a_valid_admin_token_the_SDK_raises_the_401_problem()
    {
        using var http = server.NewClient();
        var admin = AdminApi.Create(http, "not-a-token");

        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => admin.Admin.Clients.GetAsync());
        Assert.Equal((int)HttpStatusCode.Unauthorized, problem.ResponseStatusCode);
    }
}
