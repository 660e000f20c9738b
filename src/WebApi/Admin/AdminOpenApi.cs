using System.Text.Json.Nodes;
using AuthService.Application.Common.Interfaces;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AuthService.WebApi.Admin;

/// <summary>An example body of an admin operation, shown in Swagger UI.</summary>
public sealed record OpenApiExample(JsonNode? Request, JsonNode? Response, int ResponseStatus);

public static class AdminOpenApi
{
    public const string SecuritySchemeName = "admin_client_credentials";

    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, JsonNode example) =>
        builder.WithMetadata(new OpenApiExample(example, null, 0));

    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, JsonNode example, int status = StatusCodes.Status200OK) =>
        builder.WithMetadata(new OpenApiExample(null, example, status));

    /// <summary>Registers the OAuth2 client-credentials scheme whose token URL is this server's token endpoint, so Swagger UI's Authorize button gets a token.</summary>
    public static void AddAdminSecurity(this SwaggerGenOptions options)
    {
        options.DocumentFilter<AdminSecurityDocumentFilter>();
        options.OperationFilter<AdminOperationFilter>();
    }

    private sealed class AdminSecurityDocumentFilter(IIssuerProvider issuer) : IDocumentFilter
    {
        public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
        {
            swaggerDoc.Components ??= new OpenApiComponents();
            swaggerDoc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            swaggerDoc.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "An access token of this server from the client credentials grant with scope `admin`, for a client allowed that scope (see the README: bootstrap admin client).",
                Flows = new OpenApiOAuthFlows
                {
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri(issuer.Issuer.TrimEnd('/') + "/connect/token"),
                        Scopes = new Dictionary<string, string> { [AdminAuthenticationHandler.Scope] = "Administer AuthService: clients, users, keys, consents, audit log." },
                    },
                },
            };
        }
    }

    /// <summary>
    /// A route parameter that the handler reads from the route values rather than binding it (the tenant of
    /// <c>/admin/tenants/{tenantId}/webhooks</c>, whose handlers also serve <c>/admin/webhooks</c>) is still a required path
    /// parameter of the operation (OpenAPI 3.1 §4.8.12.2: every template expression is a path parameter).
    /// </summary>
    private static void AddUnboundPathParameters(OpenApiOperation operation, string relativePath)
    {
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(relativePath, "{([A-Za-z0-9_]+)[}:?]"))
        {
            var name = match.Groups[1].Value;
            operation.Parameters ??= [];
            if (!operation.Parameters.Any(p => p.In == ParameterLocation.Path && p.Name == name))
            {
                operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }
        }
    }

    /// <summary>Marks every admin operation as needing the scheme and attaches its examples.</summary>
    private sealed class AdminOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.RelativePath?.StartsWith("admin", StringComparison.Ordinal) != true)
            {
                return;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [AdminAuthenticationHandler.Scope],
            });

            AddUnboundPathParameters(operation, context.ApiDescription.RelativePath);
            foreach (var example in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<OpenApiExample>())
            {
                if (example.Request is not null && operation.RequestBody?.Content is { } requestContent)
                {
                    foreach (var media in requestContent.Values)
                    {
                        media.Example = example.Request.DeepClone();
                    }
                }

                if (example.Response is not null
                    && operation.Responses?.TryGetValue(example.ResponseStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                    && response.Content is { } responseContent)
                {
                    foreach (var media in responseContent.Values)
                    {
                        media.Example = example.Response.DeepClone();
                    }
                }
            }
        }
    }
}
