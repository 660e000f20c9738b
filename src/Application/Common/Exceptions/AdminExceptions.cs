namespace AuthService.Application.Common.Exceptions;

/// <summary>The addressed resource does not exist (404). The message names the kind and id, never a secret.</summary>
public sealed class NotFoundException(string resource, string id)
    : Exception($"{resource} '{(id.Length > 100 ? id[..100] + "…" : id)}' was not found.") // the id comes from the URL: echo it bounded
{
    public string Resource { get; } = resource;
}

/// <summary>
/// The request's <c>If-Match</c> names a version other than the current one (RFC 9110 §13.1.1): 412.
/// </summary>
public sealed class PreconditionFailedException(string message) : Exception(message);

/// <summary>The caller may not do this to this resource, whatever the input (403), e.g. an admin client disabling itself.</summary>
public sealed class ForbiddenOperationException(string message) : Exception(message);

/// <summary>
/// The resource is not in a state that allows this action (409), whatever the request's version, e.g. re-sending an
/// invitation that was accepted. The message says which state, never a secret.
/// </summary>
public sealed class StateConflictException(string message) : Exception(message);
