namespace AuthService.Application.Authorization;

/// <summary>How the authorization response reaches the client (OAuth 2.0 Multiple Response Types; Form Post Response Mode).</summary>
public static class ResponseModes
{
    public const string Query = "query";
    public const string FormPost = "form_post";

    public static bool IsSupported(string mode) => mode is Query or FormPost;
}
