using AuthService.ResourceServer;
using OrdersApi;

var builder = WebApplication.CreateBuilder(args);

// 1. Accept AuthService's access tokens. Authority, Audience, Introspection:* and ProtectedResource:* come from appsettings.json,
//    the environment (Authority=..., Introspection__ClientSecret=...) or the command line (--Authority ...).
builder.Services.AddAuthentication().AddAuthServiceTokens(options => builder.Configuration.Bind(options));
builder.Services.AddAuthorization();
builder.Services.AddSingleton<OrderBook>();

var app = builder.Build();

// 2. Authenticate and authorize every request.
app.UseAuthentication();
app.UseAuthorization();

// 3. Tell clients where to get tokens for this API: RFC 9728 protected resource metadata naming AuthService, at
//    /.well-known/oauth-protected-resource/orders (and /.well-known/oauth-protected-resource), also named in every
//    401's WWW-Authenticate resource_metadata.
app.MapProtectedResourceMetadata();

// 4. Say what each endpoint needs.
app.MapGet("/orders", (OrderBook book) => TypedResults.Ok(book.List()))
    .RequireScope("orders.read");

app.MapPost("/orders", OrderEndpoints.PlaceAsync)
    .RequireScope("orders.write");

// Cancelling is revocation-sensitive: the token is also introspected at AuthService, so a revoked token stops
// working here at once rather than when it expires.
app.MapDelete("/orders/{id:int}", OrderEndpoints.Cancel)
    .RequireScope("orders.write")
    .RequireActiveToken();

app.Run();
