using System.Buffers.Text;
using System.Text.Json;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// Reads <c>client_assertion</c> and <c>client_assertion_type</c> (RFC 7521 §4.2) from the body. Only the shape is
/// checked here: a compact JWS of bounded length whose (still unverified) <c>sub</c> names the client to look
/// up (RFC 7523 §3 item 2); the signature and every claim are verified once the client's registration is known.
/// </summary>
public static class ClientAssertionReader
{
    /// <summary>RFC 7523 §2.2: the only assertion type this server understands.</summary>
    public const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Generous for an RS512 assertion with a long kid, small enough that nobody is made to parse megabytes.</summary>
    public const int MaxAssertionLength = 8 * 1024;

    public static ProtocolResult<ClientCredentials> Read(ProtocolForm form)
    {
        var type = form[OAuthParameters.ClientAssertionType];
        var assertion = form[OAuthParameters.ClientAssertion];
        if (type is null || assertion is null)
        {
            // RFC 7521 §4.2: both parameters are REQUIRED; one without the other is a malformed request.
            return OAuthError.IncompleteClientAssertion;
        }

        // RFC 6749 §5.2: invalid_client covers an unsupported authentication method; RFC 7521 §4.2.1 answers
        // invalid_client for an assertion that cannot authenticate the client.
        if (!string.Equals(type, JwtBearerType, StringComparison.Ordinal)
            || assertion.Length > MaxAssertionLength
            || UnverifiedSubject(assertion) is not { } subject
            || !ClientCredentialReader.IsValidClientId(subject))
        {
            return OAuthError.InvalidClient;
        }

        // RFC 7521 §4.2: a client_id next to the assertion must identify the same client.
        if (form[OAuthParameters.ClientId] is { } bodyClientId && !string.Equals(bodyClientId, subject, StringComparison.Ordinal))
        {
            return OAuthError.InvalidClient;
        }

        return new ClientCredentials(subject, null, PresentedAuthMethod.ClientAssertion) { Assertion = assertion };
    }

    /// <summary>
    /// The <c>sub</c> of a compact JWS (three base64url segments; a JWE has five and is refused), or null when the
    /// assertion is not one or has no string <c>sub</c>.
    /// </summary>
    private static string? UnverifiedSubject(string assertion)
    {
        var segments = assertion.Split('.');
        if (segments.Length != 3 || segments.Any(s => s.Length == 0))
        {
            return null;
        }

        var payload = new byte[Base64Url.GetMaxDecodedLength(segments[1].Length)];
        if (Base64Url.DecodeFromChars(segments[1], payload, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload.AsMemory(0, written), new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("sub", out var sub)
                && sub.ValueKind == JsonValueKind.String
                    ? sub.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
