using Bff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

// Oidc:* and Api:* come from appsettings.json, the environment (Oidc__ClientSecret=...) or the command line (--Oidc:Authority ...).
var bff = builder.Configuration.GetSection("Oidc").Get<BffOptions>() ?? throw new InvalidOperationException("The Oidc section is required.");
builder.Services.Configure<BffOptions>(builder.Configuration.GetSection("Oidc"));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddMemoryCache();
builder.Services.AddSingleton<ServerSideTicketStore>();
builder.Services.AddHttpClient<TokenRefresher>();
builder.Services.AddHttpClient<ApiProxy>(http => http.BaseAddress = new Uri(builder.Configuration["Api:BaseAddress"]
    ?? throw new InvalidOperationException("Api:BaseAddress is required.")));

builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
    })
    // 1. The session: an HttpOnly cookie holding only the key of a ticket kept on the server (ServerSideTicketStore).
    .AddCookie(options =>
    {
        options.Cookie.Name = "bff-session";
        options.Cookie.HttpOnly = true;
        // Lax: sent on the top-level GET back from AuthService, never on another site's POST or fetch (CSRF, with the
        // X-CSRF header rule on /api below). Secure whenever the BFF runs on https, as it must in production.
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = false;
    })
    // 2. Sign-in at AuthService: authorization code flow with PKCE (S256), confidential client (client_secret_basic).
    .AddOpenIdConnect(options =>
    {
        options.Authority = bff.Authority;
        options.RequireHttpsMetadata = !new Uri(bff.Authority).IsLoopback;
        options.ClientId = bff.ClientId;
        options.ClientSecret = bff.ClientSecret;
        options.BackchannelHttpHandler = new ClientSecretBasicHandler(bff); // the client is registered with client_secret_basic
        options.DisableTelemetry = true; // no x-client-SKU / x-client-ver (library and version) in the requests
        options.ResponseType = "code";
        options.UsePkce = true;
        // query, not the handler's default form_post: the correlation cookie can then stay SameSite=Lax (a cross-site
        // form_post needs SameSite=None, which browsers drop without https). RFC 9207's iss comes back either way.
        options.ResponseMode = "query";
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        // Secure on https (production); the handler's default (always Secure) would also drop them on http://127.0.0.1 in development.
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Scope.Clear();
        foreach (var scope in bff.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            options.Scope.Add(scope);
        }

        if (!string.IsNullOrEmpty(bff.Resource))
        {
            options.Resource = bff.Resource; // RFC 8707: the access token's aud is the API
        }

        // Keep the access, refresh and ID tokens in the authentication ticket, which lives on the server.
        options.SaveTokens = true;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "name";
        options.CallbackPath = "/callback";
        // RP-initiated logout: AuthService sends the browser back to /signed-out, the handler then to "/".
        options.SignedOutCallbackPath = "/signed-out";
        options.SignedOutRedirectUri = "/";
    });

builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
    .Configure<ServerSideTicketStore, TokenRefresher>((options, store, refresher) =>
    {
        options.SessionStore = store;
        // 3. Every request validates the session; an access token about to expire is renewed there (TokenRefresher).
        options.Events.OnValidatePrincipal = refresher.ValidatePrincipalAsync;
    });
builder.Services.AddAuthorization();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/", BffEndpoints.Home);
app.MapGet("/login", BffEndpoints.Login);
app.MapPost("/logout", BffEndpoints.LogoutAsync);

// 4. What the browser's JavaScript calls: same-origin, cookie-authenticated, never a token in or out.
var api = app.MapGroup("").AddEndpointFilter<BffApiFilter>();
api.MapGet("/bff/user", BffEndpoints.User);
api.MapGet("/api/me", (ApiProxy proxy, HttpContext http) => proxy.ForwardAsync(http, "me"));

app.Run();
