using System.Diagnostics;
using MediatR;

namespace AuthService.Infrastructure.Observability;

/// <summary>
/// One span per use case: every MediatR request runs inside an activity named after its type (<c>RefreshAccessToken</c>,
/// <c>SignIn</c>), so a trace reads request → use case → SQL. Only the name: requests carry client secrets, codes, tokens
/// and passwords, so neither the request nor the response becomes an attribute, and a failure records the exception's
/// type, never its message. Registered outermost, and only when tracing is on (<see cref="ObservabilityRegistration"/>):
/// off, the pipeline has no extra behaviour at all.
/// </summary>
public sealed class MediatorTracingBehaviour<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string SpanName = typeof(TRequest).Name;

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        AuthServiceTelemetry.Source.HasListeners() ? TracedAsync(next) : next();

    private static async Task<TResponse> TracedAsync(RequestHandlerDelegate<TResponse> next)
    {
        using var activity = AuthServiceTelemetry.Source.StartActivity(SpanName, ActivityKind.Internal);
        try
        {
            return await next();
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
