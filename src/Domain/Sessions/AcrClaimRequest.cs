namespace AuthService.Domain.Sessions;

/// <summary>
/// The <c>acr</c> member of the <c>id_token</c> object of an OIDC Core §5.5 <c>claims</c> request: whether it is
/// Essential (§5.5.1) and the acr values asked for (<c>values</c>, in order of preference, or the single <c>value</c>;
/// empty when neither was given). OIDC Core §5.5.1.1: an Essential acr that cannot be met is a failed authentication;
/// a Voluntary one is a preference, as <c>acr_values</c> is.
/// </summary>
public sealed record AcrClaimRequest(bool Essential, IReadOnlyList<string> Values);
