using System.Security.Claims;
using JwtBearerApi;
using Microsoft.AspNetCore.Authentication.JwtBearer;

var builder = WebApplication.CreateBuilder(args);

// 1. Accept AuthService's RFC 9068 access tokens with ASP.NET Core's JwtBearer handler. Authority and Audience come from
//    appsettings.json, the environment (Authority=...) or the command line (--Authority ...).
var authority = builder.Configuration["Authority"] ?? throw new InvalidOperationException("Authority is required.");
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        // The handler reads the issuer and the JWKS from {Authority}/.well-known/openid-configuration and follows key
        // rotation by itself (it refetches the metadata when a token names an unknown kid).
        options.Authority = authority;
        // Metadata over plain http only for a server on this machine (scripts/run.sh); anywhere else https.
        options.RequireHttpsMetadata = !new Uri(authority).IsLoopback;
        // Keep the JWT's claim names (sub, client_id, scope) instead of mapping them to long WS-* URIs.
        options.MapInboundClaims = false;
        options.TokenValidationParameters.ValidAudience = builder.Configuration["Audience"]
            ?? throw new InvalidOperationException("Audience is required.");
        // RFC 9068 §4: an access token is typed at+jwt, so an ID token (typ JWT) signed by the same keys is refused here.
        options.TokenValidationParameters.ValidTypes = ["at+jwt"];
        options.TokenValidationParameters.NameClaimType = "sub";
        // RFC 6750 §3.1: a valid token without the scope a route needs is a 403 with error="insufficient_scope".
        options.Events = new JwtBearerEvents { OnForbidden = ScopePolicies.ChallengeInsufficientScopeAsync };
    });

// 2. One authorization policy per scope: the token's space-separated scope claim must contain it (RFC 9068 §2.2.3).
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("orders.read", policy => policy.RequireScope("orders.read"))
    .AddPolicy("orders.write", policy => policy.RequireScope("orders.write"));

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

// 3. Say what each endpoint needs.
app.MapGet("/orders", () => TypedResults.Ok(new[] { new { id = 1, item = "tea", quantity = 3 } }))
    .RequireAuthorization("orders.read");

app.MapPost("/orders", () => TypedResults.Created("/orders/2", new { id = 2 }))
    .RequireAuthorization("orders.write");

// Who called: the service itself (client credentials: sub is the client_id) or a person through an app (sub is the user).
app.MapGet("/me", (ClaimsPrincipal caller) => TypedResults.Ok(new
{
    sub = caller.FindFirstValue("sub"),
    client_id = caller.FindFirstValue("client_id"),
    scope = caller.FindFirstValue("scope"),
}))
    .RequireAuthorization("orders.read");

app.Run();
