namespace AuthService.Application.Authorization;

/// <summary>The values of the <c>prompt</c> parameter this server knows (OIDC Core §3.1.2.1).</summary>
public static class Prompts
{
    public const string None = "none";
    public const string Login = "login";
    public const string Consent = "consent";
    public const string SelectAccount = "select_account";
}
