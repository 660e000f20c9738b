using System.Text.Json.Serialization;
using AuthService.Application.Authorization.Commands.PushAuthorizationRequest;
using AuthService.Application.Discovery.Queries.GetDiscoveryDocument;
using AuthService.Application.Introspection.Queries.IntrospectToken;
using AuthService.Application.Tokens.Common;
using AuthService.Application.UserInfo.Queries.GetUserInfo;

namespace AuthService.WebApi.Protocol;

/// <summary>RFC 6749 §5.2 error body.</summary>
public sealed record OAuthErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

/// <summary>Source-generated serializers for the protocol responses (no reflection on the hot path).</summary>
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthErrorBody))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(IntrospectionResponse))]
[JsonSerializable(typeof(UserInfoResponse))]
[JsonSerializable(typeof(PushedAuthorizationResponse))]
[JsonSerializable(typeof(Application.DeviceAuthorizations.Commands.RequestDeviceAuthorization.DeviceAuthorizationResponse))]
[JsonSerializable(typeof(Application.Registration.Common.ClientRegistrationResponse))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
