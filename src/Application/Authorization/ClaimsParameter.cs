using System.Text.Json;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Authorization;

/// <summary>
/// The OIDC Core §5.5 <c>claims</c> request parameter, read strictly. Only <c>id_token.acr</c> is honoured (§5.5.1.1, as an
/// <see cref="AcrClaimRequest"/>); every other member is accepted and ignored, as §5.5 asks of members not understood.
/// The shape is checked throughout, so a malformed request is refused rather than half read: the value a JSON object;
/// <c>userinfo</c> and <c>id_token</c>, when present, objects whose members are each <c>null</c> (§5.5: the default
/// manner) or an object in which <c>essential</c>, when present, is a boolean and <c>values</c> an array (§5.5.1); no
/// member twice; at most <see cref="AuthorizationParameters.MaxClaimsLength"/> characters and a shallow nesting.
/// For <c>acr</c> the values are strings, <c>value</c> a string, and not both <c>value</c> and <c>values</c> (one value,
/// or a non-empty set in order of preference).
/// </summary>
public static class ClaimsParameter
{
    private const string IdToken = "id_token";
    private const string UserInfo = "userinfo";
    private const string Acr = "acr";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8, AllowDuplicateProperties = false };

    /// <summary>The requested ID token <c>acr</c>, null when none was asked for; <see cref="OAuthError.InvalidClaimsParameter"/> when malformed.</summary>
    public static ProtocolResult<AcrClaimRequest?> Parse(string? text)
    {
        if (text is null)
        {
            return (AcrClaimRequest?)null;
        }

        if (text.Length > AuthorizationParameters.MaxClaimsLength)
        {
            return OAuthError.InvalidClaimsParameter;
        }

        try
        {
            using var document = JsonDocument.Parse(text, Options);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return OAuthError.InvalidClaimsParameter;
            }

            var hasIdToken = root.TryGetProperty(IdToken, out var idToken);
            if ((root.TryGetProperty(UserInfo, out var userInfo) && !IsClaimSet(userInfo)) || (hasIdToken && !IsClaimSet(idToken)))
            {
                return OAuthError.InvalidClaimsParameter;
            }

            if (!hasIdToken || !idToken.TryGetProperty(Acr, out var acr))
            {
                return (AcrClaimRequest?)null;
            }

            return ReadAcr(acr) is { } request ? request : OAuthError.InvalidClaimsParameter;
        }
        catch (JsonException)
        {
            return OAuthError.InvalidClaimsParameter;
        }
    }

    /// <summary>§5.5: an object of claim names, each <c>null</c> or an object with a boolean <c>essential</c> and an array <c>values</c> when present.</summary>
    private static bool IsClaimSet(JsonElement claims) =>
        claims.ValueKind == JsonValueKind.Object && claims.EnumerateObject().All(claim => claim.Value.ValueKind switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.Object => (!claim.Value.TryGetProperty("essential", out var essential) || essential.ValueKind is JsonValueKind.True or JsonValueKind.False)
                && (!claim.Value.TryGetProperty("values", out var values) || values.ValueKind == JsonValueKind.Array),
            _ => false,
        });

    /// <summary>The acr request (the shape around it already checked); null when its value or values are not strings.</summary>
    private static AcrClaimRequest? ReadAcr(JsonElement acr)
    {
        if (acr.ValueKind == JsonValueKind.Null)
        {
            return new AcrClaimRequest(Essential: false, []);
        }

        var essential = acr.TryGetProperty("essential", out var flag) && flag.ValueKind == JsonValueKind.True;
        var hasValue = acr.TryGetProperty("value", out var value);
        var hasValues = acr.TryGetProperty("values", out var values);
        if (hasValue && hasValues)
        {
            return null;
        }

        if (hasValue)
        {
            return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } single ? new AcrClaimRequest(essential, [single]) : null;
        }

        if (!hasValues)
        {
            return new AcrClaimRequest(essential, []);
        }

        var list = values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).ToList();
        return list.Count > 0 && list.All(v => v is { Length: > 0 }) ? new AcrClaimRequest(essential, [.. list.Select(v => v!)]) : null;
    }
}
