using AuthService.Application.Authorization;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Clients;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Authorization;

public class AuthorizationRequestValidatorTests
{
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly AuthorizationRequestValidator _validator;

    public AuthorizationRequestValidatorTests()
    {
        _validator = new AuthorizationRequestValidator(_catalog, InMemoryProtectedResourceRepository.NoResources());
        _catalog.Add(RegisterWeb());
    }

    private Task<AuthorizationValidation> Validate(IReadOnlyDictionary<string, string> parameters) =>
        _validator.ValidateAsync(parameters, CancellationToken.None);

    private async Task<AuthorizationRequest> ValidRequest(IReadOnlyDictionary<string, string> parameters)
    {
        var validation = await Validate(parameters);
        return Assert.IsType<AuthorizationValidation.Valid>(validation).Request;
    }

    private async Task<OAuthError> ErrorPage(IReadOnlyDictionary<string, string> parameters)
    {
        var validation = await Validate(parameters);
        return Assert.IsType<AuthorizationValidation.ErrorPage>(validation).Error;
    }

    private async Task<AuthorizationValidation.ErrorRedirect> ErrorRedirect(IReadOnlyDictionary<string, string> parameters, string code)
    {
        var validation = await Validate(parameters);
        var redirect = Assert.IsType<AuthorizationValidation.ErrorRedirect>(validation);
        Assert.Equal(code, redirect.Error.Code);
        return redirect;
    }

    // ---- client and redirect URI: an error page, never a redirect ----

    [Fact]
    public async Task Missing_client_id_is_an_error_page()
    {
        var error = await ErrorPage(Request().With("client_id", null));

        Assert.Equal("invalid_request", error.Code);
        Assert.Contains("client_id", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_client_id_is_an_error_page()
    {
        var error = await ErrorPage(Request().With("client_id", ""));

        Assert.Equal("invalid_request", error.Code);
    }

    [Fact]
    public async Task Unknown_client_is_an_error_page_even_with_everything_else_wrong()
    {
        var error = await ErrorPage(Request().With("client_id", "nobody").With("response_type", "token").With("scope", null));

        Assert.Equal("invalid_request", error.Code);
        Assert.Contains("unknown or disabled", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_client_is_an_error_page()
    {
        var client = RegisterWeb("off");
        client.Disable(TestClients.RegisteredAt);
        _catalog.Add(client);

        var error = await ErrorPage(Request().With("client_id", "off"));

        Assert.Equal("invalid_request", error.Code);
    }

    [Fact]
    public async Task Overlong_client_id_is_an_error_page_without_a_lookup()
    {
        var error = await ErrorPage(Request().With("client_id", new string('a', Client.MaxClientIdLength + 1)));

        Assert.Equal("invalid_request", error.Code);
        Assert.Equal(0, _catalog.Lookups);
    }

    [Fact]
    public async Task Unregistered_redirect_uri_is_an_error_page_even_when_later_parameters_are_wrong()
    {
        var error = await ErrorPage(Request().With("redirect_uri", "https://evil.example/cb").With("response_type", null).With("code_challenge", null));

        Assert.Equal("invalid_request", error.Code);
        Assert.Contains("redirect_uri", error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example/cb/")]
    [InlineData("https://APP.example/cb")]
    [InlineData("https://app.example:443/cb")]
    [InlineData("https://app.example/cb?x=1")]
    [InlineData("https://app.example/CB")]
    [InlineData("http://app.example/cb")]
    public async Task Redirect_uri_must_match_the_registered_one_exactly(string requested)
    {
        var error = await ErrorPage(Request().With("redirect_uri", requested));

        Assert.Equal("invalid_request", error.Code);
    }

    [Fact]
    public async Task Omitted_redirect_uri_with_one_registered_uses_it_and_records_that_it_was_not_sent()
    {
        var request = await ValidRequest(Request().With("redirect_uri", null));

        Assert.Equal(RedirectUri, request.RedirectUri);
        Assert.False(request.RedirectUriWasSent);
        Assert.False(request.Parameters.ContainsKey("redirect_uri"));
    }

    [Fact]
    public async Task Empty_redirect_uri_counts_as_omitted()
    {
        var request = await ValidRequest(Request().With("redirect_uri", ""));

        Assert.Equal(RedirectUri, request.RedirectUri);
        Assert.False(request.RedirectUriWasSent);
    }

    [Fact]
    public async Task Sent_redirect_uri_is_recorded_as_sent()
    {
        var request = await ValidRequest(Request());

        Assert.Equal(RedirectUri, request.RedirectUri);
        Assert.True(request.RedirectUriWasSent);
    }

    [Fact]
    public async Task Omitted_redirect_uri_with_several_registered_is_an_error_page()
    {
        _catalog.Add(RegisterWeb("multi", WebSettings(redirectUris: [RedirectUri, OtherRedirectUri])));

        var error = await ErrorPage(Request().With("client_id", "multi").With("redirect_uri", null));

        Assert.Equal("invalid_request", error.Code);
        Assert.Contains("required", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_several_registered_the_one_named_is_used()
    {
        _catalog.Add(RegisterWeb("multi", WebSettings(redirectUris: [RedirectUri, OtherRedirectUri])));

        var request = await ValidRequest(Request().With("client_id", "multi").With("redirect_uri", OtherRedirectUri));

        Assert.Equal(OtherRedirectUri, request.RedirectUri);
        Assert.True(request.RedirectUriWasSent);
    }

    [Fact]
    public async Task A_client_without_redirect_uris_is_an_error_page_when_none_is_sent()
    {
        _catalog.Add(TestClients.RegisterService("svc"));

        var error = await ErrorPage(Request().With("client_id", "svc").With("redirect_uri", null));

        Assert.Equal("invalid_request", error.Code);
    }

    [Theory]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb")]
    [InlineData("http://127.0.0.1:8080/cb", "http://127.0.0.1:9999/cb")]
    [InlineData("http://127.0.0.1:8080/cb", "http://127.0.0.1/cb")]
    [InlineData("http://[::1]/cb", "http://[::1]:4000/cb")]
    [InlineData("http://127.0.0.1/cb?x=1", "http://127.0.0.1:4000/cb?x=1")]
    public async Task Loopback_redirect_uri_may_differ_in_port_only_and_the_requested_one_is_used(string registered, string requested)
    {
        _catalog.Add(RegisterWeb("native", WebSettings(redirectUris: [registered])));

        var request = await ValidRequest(Request().With("client_id", "native").With("redirect_uri", requested));

        Assert.Equal(requested, request.RedirectUri);
        Assert.True(request.RedirectUriWasSent);
    }

    [Theory]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:4000/other")]
    [InlineData("http://127.0.0.1/cb", "http://[::1]:4000/cb")]
    [InlineData("http://127.0.0.1/cb", "http://localhost:4000/cb")]
    [InlineData("http://127.0.0.1/cb", "https://127.0.0.1:4000/cb")]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:4000@evil.example/cb")]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1.evil.example/cb")]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:70000/cb")]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:4000/cb?x=1")]
    [InlineData("http://localhost/cb", "http://localhost:4000/cb")]
    public async Task Loopback_port_rule_allows_nothing_but_the_port(string registered, string requested)
    {
        _catalog.Add(RegisterWeb("native", WebSettings(redirectUris: [registered])));

        var error = await ErrorPage(Request().With("client_id", "native").With("redirect_uri", requested));

        Assert.Equal("invalid_request", error.Code);
    }

    // ---- after the redirect URI: errors are redirected, with the state ----

    [Fact]
    public async Task Missing_response_type_is_redirected_with_the_state_and_the_redirect_uri()
    {
        var redirect = await ErrorRedirect(Request().With("response_type", null), "invalid_request");

        Assert.Equal(new RedirectTarget(RedirectUri, "query", State), redirect.Target);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("id_token")]
    [InlineData("code id_token")]
    [InlineData("CODE")]
    public async Task Response_type_other_than_code_is_unsupported_response_type(string responseType)
    {
        var redirect = await ErrorRedirect(Request().With("response_type", responseType), "unsupported_response_type");

        Assert.Equal(State, redirect.Target.State);
    }

    [Fact]
    public async Task Error_without_state_is_redirected_without_one()
    {
        var redirect = await ErrorRedirect(Request().With("response_type", null).With("state", null), "invalid_request");

        Assert.Null(redirect.Target.State);
    }

    [Fact]
    public async Task Overlong_state_is_refused_and_not_echoed()
    {
        var redirect = await ErrorRedirect(Request().With("state", new string('s', AuthorizationParameters.MaxStateLength + 1)), "invalid_request");

        Assert.Null(redirect.Target.State);
    }

    [Fact]
    public async Task State_of_the_maximum_length_is_accepted()
    {
        var state = new string('s', AuthorizationParameters.MaxStateLength);

        var request = await ValidRequest(Request().With("state", state));

        Assert.Equal(state, request.State);
    }

    [Fact]
    public async Task Client_without_the_code_grant_is_unauthorized_client()
    {
        _catalog.Add(RegisterWeb("svc2", WebSettings(authMethod: TokenEndpointAuthMethods.ClientSecretBasic, grantTypes: [GrantTypes.ClientCredentials])));

        var redirect = await ErrorRedirect(Request().With("client_id", "svc2"), "unauthorized_client");

        Assert.Equal(State, redirect.Target.State);
    }

    [Theory]
    [InlineData(null, "invalid_scope")]
    [InlineData("", "invalid_scope")]
    [InlineData("openid admin", "invalid_scope")]
    [InlineData("   ", "invalid_scope")]
    [InlineData("open\"id", "invalid_scope")]
    public async Task Missing_malformed_or_disallowed_scope_is_invalid_scope(string? scope, string code)
    {
        var redirect = await ErrorRedirect(Request().With("scope", scope), code);

        Assert.Equal(State, redirect.Target.State);
    }

    [Fact]
    public async Task Scopes_are_kept_in_request_order_without_repeats()
    {
        var request = await ValidRequest(Request("api.read openid api.read"));

        Assert.Equal(["api.read", "openid"], request.Scopes);
    }

    [Fact]
    public async Task Missing_code_challenge_is_invalid_request()
    {
        var redirect = await ErrorRedirect(Request().With("code_challenge", null), "invalid_request");

        Assert.Contains("code_challenge", redirect.Error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("plain")]
    [InlineData("s256")]
    [InlineData("")]
    public async Task Code_challenge_method_other_than_S256_is_invalid_request(string? method)
    {
        var redirect = await ErrorRedirect(Request().With("code_challenge_method", method), "invalid_request");

        Assert.Contains("S256", redirect.Error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMM")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw=cM")]
    public async Task Malformed_code_challenge_is_invalid_request(string challenge)
    {
        await ErrorRedirect(Request().With("code_challenge", challenge), "invalid_request");
    }

    [Fact]
    public async Task Overlong_nonce_is_invalid_request_and_a_nonce_at_the_limit_is_kept()
    {
        await ErrorRedirect(Request().With("nonce", new string('n', AuthorizationParameters.MaxNonceLength + 1)), "invalid_request");

        var nonce = new string('n', AuthorizationParameters.MaxNonceLength);
        var request = await ValidRequest(Request().With("nonce", nonce));
        Assert.Equal(nonce, request.Nonce);
    }

    [Fact]
    public async Task No_nonce_is_allowed()
    {
        var request = await ValidRequest(Request().With("nonce", null));

        Assert.Null(request.Nonce);
    }

    [Theory]
    [InlineData("request", "request_not_supported")]
    [InlineData("request_uri", "request_uri_not_supported")]
    public async Task Request_objects_are_not_supported(string parameter, string code)
    {
        var redirect = await ErrorRedirect(Request().With(parameter, "x"), code);

        Assert.Equal(State, redirect.Target.State);
    }

    [Fact]
    public async Task Unsupported_response_mode_is_refused_with_a_query_redirect()
    {
        var redirect = await ErrorRedirect(Request().With("response_mode", "fragment"), "invalid_request");

        Assert.Equal("query", redirect.Target.ResponseMode);
        Assert.Equal(State, redirect.Target.State);
    }

    [Fact]
    public async Task Form_post_is_honoured_for_errors_too()
    {
        var redirect = await ErrorRedirect(Request().With("response_mode", "form_post").With("response_type", null), "invalid_request");

        Assert.Equal("form_post", redirect.Target.ResponseMode);
    }

    [Theory]
    [InlineData(null, "query")]
    [InlineData("query", "query")]
    [InlineData("form_post", "form_post")]
    public async Task Response_mode_defaults_to_query(string? mode, string expected)
    {
        var request = await ValidRequest(Request().With("response_mode", mode));

        Assert.Equal(expected, request.ResponseMode);
    }

    // ---- prompt ----

    [Theory]
    [InlineData(null, new string[0])]
    [InlineData("none", new[] { "none" })]
    [InlineData("login", new[] { "login" })]
    [InlineData("consent", new[] { "consent" })]
    [InlineData("select_account", new[] { "select_account" })]
    [InlineData("login consent", new[] { "login", "consent" })]
    [InlineData("  login   consent  login ", new[] { "login", "consent" })]
    public async Task Prompt_is_parsed_into_its_values(string? prompt, string[] expected)
    {
        var request = await ValidRequest(Request().With("prompt", prompt));

        Assert.Equal(expected.Order(StringComparer.Ordinal), request.Prompt.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("none login")]
    [InlineData("none consent")]
    [InlineData("bogus")]
    [InlineData("Login")]
    [InlineData("login bogus")]
    public async Task Invalid_prompt_is_invalid_request(string prompt)
    {
        var redirect = await ErrorRedirect(Request().With("prompt", prompt), "invalid_request");

        Assert.Contains("prompt", redirect.Error.Description, StringComparison.Ordinal);
        Assert.Equal(State, redirect.Target.State);
    }

    // ---- max_age ----

    [Theory]
    [InlineData("0", 0)]
    [InlineData("300", 300)]
    [InlineData("007", 7)]
    public async Task Max_age_is_a_number_of_seconds(string value, int expected)
    {
        var request = await ValidRequest(Request().With("max_age", value));

        Assert.Equal(expected, request.MaxAge);
    }

    [Fact]
    public async Task No_max_age_is_null()
    {
        var request = await ValidRequest(Request());

        Assert.Null(request.MaxAge);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5s")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public async Task Malformed_max_age_is_invalid_request(string value)
    {
        var redirect = await ErrorRedirect(Request().With("max_age", value), "invalid_request");

        Assert.Contains("max_age", redirect.Error.Description, StringComparison.Ordinal);
    }

    // ---- login_hint ----

    [Fact]
    public async Task Login_hint_is_kept_and_an_overlong_one_dropped()
    {
        var request = await ValidRequest(Request().With("login_hint", "alice"));
        Assert.Equal("alice", request.LoginHint);

        var overlong = await ValidRequest(Request().With("login_hint", new string('a', AuthorizationParameters.MaxLoginHintLength + 1)));
        Assert.Null(overlong.LoginHint);
    }

    // ---- the valid request and its parameters ----

    [Fact]
    public async Task Valid_request_carries_its_values()
    {
        var request = await ValidRequest(Request().With("prompt", "consent").With("max_age", "60").With("login_hint", "alice"));

        Assert.Equal(ClientId, request.Client.ClientId);
        Assert.Equal(RedirectUri, request.RedirectUri);
        Assert.Equal("query", request.ResponseMode);
        Assert.Equal(["openid", "profile", "api.read"], request.Scopes);
        Assert.Equal(State, request.State);
        Assert.Equal(Nonce, request.Nonce);
        Assert.Equal(Challenge, request.CodeChallenge);
        Assert.Equal(["consent"], request.Prompt);
        Assert.Equal(60, request.MaxAge);
        Assert.Equal("alice", request.LoginHint);
    }

    [Fact]
    public async Task Parameters_carry_only_known_non_empty_parameters_with_their_values()
    {
        var parameters = Request().With("prompt", "login").With("max_age", "0").With("login_hint", "alice").With("response_mode", "form_post")
            .With("unknown", "x").With("ui_locales", "en").With("nonce", "").With("acr_values", "1");

        var request = await ValidRequest(parameters);

        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["response_mode"] = "form_post",
            ["scope"] = "openid profile api.read",
            ["state"] = State,
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
            ["prompt"] = "login",
            ["max_age"] = "0",
            ["login_hint"] = "alice",
            ["acr_values"] = "1", // OIDC Core §3.1.2.1, carried for step-up (ADR 0032); a value this server does not define asks for nothing
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Null(request.Nonce);
    }

    // ---- ParametersWithout ----

    [Fact]
    public async Task ParametersWithout_removes_the_prompt_when_every_value_is_satisfied()
    {
        var request = await ValidRequest(Request().With("prompt", "login"));

        var parameters = request.ParametersWithout(Prompts.Login, Prompts.SelectAccount);

        Assert.False(parameters.ContainsKey("prompt"));
        Assert.Equal(ClientId, parameters["client_id"]);
        Assert.Equal(State, parameters["state"]);
    }

    [Fact]
    public async Task ParametersWithout_keeps_the_prompts_not_satisfied()
    {
        var request = await ValidRequest(Request().With("prompt", "login consent"));

        var parameters = request.ParametersWithout(Prompts.Login, Prompts.SelectAccount);

        Assert.Equal("consent", parameters["prompt"]);
    }

    [Fact]
    public async Task ParametersWithout_consent_keeps_login_and_select_account()
    {
        var request = await ValidRequest(Request().With("prompt", "select_account consent login"));

        var parameters = request.ParametersWithout(Prompts.Consent);

        Assert.Equal(["login", "select_account"], parameters["prompt"].Split(' ').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ParametersWithout_login_removes_max_age_zero()
    {
        var request = await ValidRequest(Request().With("max_age", "0"));

        var parameters = request.ParametersWithout(Prompts.Login, Prompts.SelectAccount);

        Assert.False(parameters.ContainsKey("max_age"));
    }

    [Fact]
    public async Task ParametersWithout_login_keeps_a_positive_max_age()
    {
        var request = await ValidRequest(Request().With("max_age", "300"));

        var parameters = request.ParametersWithout(Prompts.Login, Prompts.SelectAccount);

        Assert.Equal("300", parameters["max_age"]);
    }

    [Fact]
    public async Task ParametersWithout_consent_keeps_max_age_zero()
    {
        var request = await ValidRequest(Request().With("max_age", "0").With("prompt", "consent"));

        var parameters = request.ParametersWithout(Prompts.Consent);

        Assert.Equal("0", parameters["max_age"]);
        Assert.False(parameters.ContainsKey("prompt"));
    }

    [Fact]
    public async Task ParametersWithout_does_not_change_the_request_parameters()
    {
        var request = await ValidRequest(Request().With("prompt", "login").With("max_age", "0"));

        _ = request.ParametersWithout(Prompts.Login);

        Assert.Equal("login", request.Parameters["prompt"]);
        Assert.Equal("0", request.Parameters["max_age"]);
    }
}
