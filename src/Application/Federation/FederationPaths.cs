namespace AuthService.Application.Federation;

/// <summary>
/// The browser paths of upstream sign-in (docs/adr/0037). Each provider has its own callback, so an answer can only be
/// taken as coming from the provider whose callback received it (mix-up defence, RFC 9700 §4.4.2: per-issuer redirect URIs).
/// </summary>
public static class FederationPaths
{
    /// <summary>POST from a sign-in form (anti-forgery token, the carried request): starts the upstream round trip.</summary>
    public const string ChallengePattern = "/account/external/{provider}";

    /// <summary>GET (query) or POST (Apple's form_post): the upstream's answer.</summary>
    public const string CallbackPattern = "/account/external/{provider}/callback";

    /// <summary>POST from the account page (signed in, anti-forgery token): links another provider to the account.</summary>
    public const string LinkPattern = "/account/external/{provider}/link";

    public static string Challenge(string provider) => $"/account/external/{Uri.EscapeDataString(provider)}";

    public static string Callback(string provider) => $"/account/external/{Uri.EscapeDataString(provider)}/callback";

    public static string Link(string provider) => $"/account/external/{Uri.EscapeDataString(provider)}/link";

    /// <summary>The authorization request parameter that sends the browser straight to one provider (docs/adr/0037 "idp_hint").</summary>
    public const string IdpHintParameter = "idp_hint";
}
