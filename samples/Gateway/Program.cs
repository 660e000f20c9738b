using Gateway;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

// 1. Validate AuthService's access tokens at the edge, exactly as an API would (docs/guides/resource-server-aspnetcore.md).
var authority = builder.Configuration["Authority"] ?? throw new InvalidOperationException("Authority is required.");
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        options.Authority = authority;
        options.RequireHttpsMetadata = !new Uri(authority).IsLoopback;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.ValidAudience = builder.Configuration["Audience"]
            ?? throw new InvalidOperationException("Audience is required.");
        options.TokenValidationParameters.ValidTypes = ["at+jwt"]; // RFC 9068 §4
        options.Events = new JwtBearerEvents { OnForbidden = ScopePolicies.ChallengeInsufficientScopeAsync };
    });

// 2. A policy per scope, named on each route in ReverseProxy:Routes (appsettings.json). A route that names none still
//    needs a valid token: nothing passes the gateway anonymously unless a route says "AuthorizationPolicy": "anonymous".
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("orders.read", policy => policy.RequireScope("orders.read"))
    .AddPolicy("orders.write", policy => policy.RequireScope("orders.write"))
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

// 3. Forward to the services behind it: the caller's token goes on unchanged (the service validates it again), and the
//    identity the gateway verified is added as X-Authenticated-* headers, after any the caller sent were removed.
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddTransforms(IdentityHeaders.Apply);

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.MapReverseProxy();

app.Run();
