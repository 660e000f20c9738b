using System.Text;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.WebApi.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Introspection;

/// <summary>
/// The back-channel readers and the one error-to-HTTP mapping on their own, over an in-memory request: which
/// catalogue entry each malformed request gets, and which of them become a 401 with a Basic challenge
/// (RFC 6749 §5.2; RFC 7662 §2.3). The same answers over real HTTP are covered by TokenEndpointErrorTests,
/// IntrospectionTests and RevocationTests.
/// </summary>
public sealed class BackChannelRequestTests
{
    private const string Basic = "Basic " + "QzE6czNjcmV0"; // base64("C1:s3cret")

    [Fact]
    public async Task A_well_formed_Basic_request_is_read_with_its_credentials()
    {
        var request = await ReadAsync("grant_type=client_credentials", authorization: Basic);

        Assert.True(request.IsSuccess);
        Assert.Equal("client_credentials", request.Value.Form[OAuthParameters.GrantType]);
        Assert.Equal(new ClientCredentials("C1", "s3cret", PresentedAuthMethod.ClientSecretBasic), request.Value.Credentials);
    }

    [Fact]
    public async Task A_public_client_naming_itself_in_the_body_is_read_without_a_secret()
    {
        var request = await ReadAsync("grant_type=authorization_code&client_id=P1");

        Assert.True(request.IsSuccess);
        Assert.Equal(new ClientCredentials("P1", null, PresentedAuthMethod.None), request.Value.Credentials);
    }

    [Theory]
    [InlineData("GET", "application/x-www-form-urlencoded", "a=1", "request_must_be_post")]
    [InlineData("POST", "application/json", "{}", "request_must_be_form_encoded")]
    [InlineData("POST", "application/x-www-form-urlencoded", "scope=a&scope=b", "repeated_parameter")]
    public async Task A_malformed_form_is_the_catalogue_entry_for_it(string method, string contentType, string body, string entry)
    {
        var request = await ReadAsync(body, method: method, contentType: contentType);

        Assert.Same(Entry(entry), request.Error);
        Assert.Equal(OAuthErrorCodes.InvalidRequest, request.Error!.Code);
    }

    [Fact]
    public async Task A_secret_in_the_query_string_is_refused()
    {
        var request = await ReadAsync("grant_type=client_credentials&client_id=C1", query: "?client_secret=s3cret");

        Assert.Same(OAuthError.CredentialsInUrl, request.Error);
    }

    [Fact]
    public async Task Basic_together_with_a_secret_in_the_body_is_two_methods()
    {
        var request = await ReadAsync("grant_type=client_credentials&client_secret=s3cret", authorization: Basic);

        Assert.Same(OAuthError.MultipleAuthenticationMethods, request.Error);
    }

    [Fact]
    public async Task A_body_client_id_other_than_the_Basic_one_is_a_mismatch()
    {
        var request = await ReadAsync("grant_type=client_credentials&client_id=C2", authorization: Basic);

        Assert.Same(OAuthError.ClientIdMismatch, request.Error);
    }

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Bearer abc")]
    [InlineData("Basic " + "QzE=")] // "C1" without a colon
    public async Task An_unreadable_Authorization_header_is_invalid_client(string authorization)
    {
        var request = await ReadAsync("grant_type=client_credentials", authorization: authorization);

        Assert.Same(OAuthError.InvalidClient, request.Error);
    }

    [Fact]
    public async Task A_client_assertion_next_to_an_Authorization_header_is_two_methods()
    {
        var request = await ReadAsync("grant_type=client_credentials&client_assertion=x.y.z", authorization: Basic);

        // OAuth 2.1 §2.4: one authentication method per request.
        Assert.Same(OAuthError.MultipleAuthenticationMethods, request.Error);
        Assert.Equal(OAuthErrorCodes.InvalidRequest, request.Error!.Code);
    }

    [Fact]
    public async Task Invalid_client_over_Basic_is_a_401_with_a_Basic_challenge_and_no_store()
    {
        var http = await ExecuteAsync(OAuthError.InvalidClient, authorization: Basic);

        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.StartsWith("Basic realm=", http.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-store", http.Response.Headers.CacheControl.ToString());
        Assert.Equal("""{"error":"invalid_client","error_description":"Client authentication failed."}""", Body(http));
    }

    [Fact]
    public async Task Invalid_client_with_credentials_in_the_body_is_a_400_without_a_challenge()
    {
        var http = await ExecuteAsync(OAuthError.InvalidClient, authorization: null);

        Assert.Equal(StatusCodes.Status400BadRequest, http.Response.StatusCode);
        Assert.False(http.Response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task At_introspection_every_invalid_client_is_challenged()
    {
        var http = await ExecuteAsync(OAuthError.InvalidClient, authorization: null, alwaysChallenge: true);

        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.StartsWith("Basic realm=", http.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_parameter_is_read_for_introspection_and_revocation()
    {
        var request = await BackChannelRequest.ReadWithTokenAsync(
            Request("token=abc&token_type_hint=access_token&client_id=P1", "POST", "application/x-www-form-urlencoded", null, ""), CancellationToken.None);

        Assert.True(request.IsSuccess);
        Assert.Equal("abc", request.Value.Token);
        Assert.Equal("P1", request.Value.Request.Credentials.ClientId);
    }

    [Fact]
    public async Task A_missing_token_parameter_is_the_catalogue_entry_for_it()
    {
        var request = await BackChannelRequest.ReadWithTokenAsync(Request("client_id=P1", "POST", "application/x-www-form-urlencoded", null, ""), CancellationToken.None);

        Assert.Same(OAuthError.MissingToken, request.Error);
    }

    private static OAuthError Entry(string name) => name switch
    {
        "request_must_be_post" => OAuthError.RequestMustBePost,
        "request_must_be_form_encoded" => OAuthError.RequestMustBeFormEncoded,
        "repeated_parameter" => OAuthError.RepeatedParameter,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Task<ProtocolResult<BackChannelRequest>> ReadAsync(
        string body, string method = "POST", string contentType = "application/x-www-form-urlencoded", string? authorization = null, string query = "") =>
        BackChannelRequest.ReadAsync(Request(body, method, contentType, authorization, query), CancellationToken.None);

    private static async Task<HttpContext> ExecuteAsync(OAuthError error, string? authorization, bool alwaysChallenge = false)
    {
        var http = Request("", "POST", "application/x-www-form-urlencoded", authorization, "");
        http.Response.Body = new MemoryStream();
        await OAuthResults.Error(error, http.Request, alwaysChallenge).ExecuteAsync(http);
        return http;
    }

    /// <summary>What the reader resolves per request: the client-certificate source (no mutual TLS configured here).</summary>
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .AddOptions()
        .AddSingleton<AuthService.WebApi.MutualTls.ClientCertificateSource>()
        .BuildServiceProvider();

    private static DefaultHttpContext Request(string body, string method, string contentType, string? authorization, string query)
    {
        var http = new DefaultHttpContext { RequestServices = Services };
        var bytes = Encoding.UTF8.GetBytes(body);
        http.Request.Method = method;
        http.Request.ContentType = contentType;
        http.Request.ContentLength = bytes.Length;
        http.Request.Body = new MemoryStream(bytes);
        http.Request.QueryString = new QueryString(query);
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        return http;
    }

    private static string Body(HttpContext http) => Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
}
