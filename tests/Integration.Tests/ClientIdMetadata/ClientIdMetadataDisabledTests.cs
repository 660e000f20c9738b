using System.Net;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.ClientIdMetadata;

/// <summary><c>Auth:ClientIdMetadataDocuments:Enabled=false</c>: not advertised, and a URL client_id is an unknown client, never fetched.</summary>
public sealed class ClientIdMetadataDisabledTests(DisabledMetadataDocumentFixture server) : IClassFixture<DisabledMetadataDocumentFixture>
{
    [Fact]
    public async Task Discovery_does_not_advertise_client_id_metadata_documents()
    {
        var metadata = JsonNode.Parse(await server.Client.GetStringAsync("/.well-known/openid-configuration"))!.AsObject();
        Assert.False(metadata.ContainsKey("client_id_metadata_document_supported"));
    }

    [Fact]
    public async Task A_url_client_id_is_an_unknown_client_and_nothing_is_fetched()
    {
        server.Documents.Set("off", server.Documents.PublicClient("off", "http://127.0.0.1/callback"));
        using var response = await server.Client.GetAsync(Browser.AuthorizeUrl(server.Documents.Url("off"), "http://127.0.0.1/callback", "openid", PkcePair.New()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(0, server.Documents.Fetches("off"));
    }
}
