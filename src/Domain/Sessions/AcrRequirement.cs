namespace AuthService.Domain.Sessions;

/// <summary>What an authorization (or device authorization) needs of the sign-in, decided by <see cref="AcrPolicy"/>.</summary>
public enum AcrRequirement
{
    /// <summary>Any sign-in this server accepts: the password alone is enough.</summary>
    None,

    /// <summary>A password and a second factor (<see cref="AuthenticationMethods.AcrMfa"/>).</summary>
    MultipleFactors,

    /// <summary>An Essential acr naming no value this server defines: no sign-in can meet it (OIDC Core §5.5.1.1).</summary>
    Unsatisfiable,
}

/// <summary>
/// The one rule that turns a client's policy and a request's acr wishes into an <see cref="AcrRequirement"/>. The acr
/// values are levels: <see cref="AuthenticationMethods.AcrMfa"/> includes <see cref="AuthenticationMethods.AcrPassword"/>
/// (<see cref="AuthenticationMethods.Satisfies"/>), so a request accepting the password level is met by either.
/// <list type="number">
/// <item>An Essential <c>acr</c> claim with values (OIDC Core §5.5.1.1) governs the request: none of its values defined here
/// is <see cref="AcrRequirement.Unsatisfiable"/>; only the mfa level among them needs two factors.</item>
/// <item>Otherwise the voluntary wish: <c>acr_values</c> (OIDC Core §3.1.2.1), else the values of a Voluntary <c>acr</c> claim,
/// else the client's <c>default_acr_values</c> (OIDC Dynamic Client Registration 1.0 §2: used when the request names none).
/// Two factors are needed when that list names the mfa level and not the password level; values not defined here are
/// ignored, as a voluntary request allows.</item>
/// <item>A client with <c>require_mfa</c> needs two factors whatever the request says (it cannot ask for less).</item>
/// </list>
/// </summary>
public static class AcrPolicy
{
    public static AcrRequirement Of(
        bool clientRequiresMfa, IReadOnlyList<string> clientDefaultAcrValues, IReadOnlyList<string> acrValues, AcrClaimRequest? acrClaim)
    {
        ArgumentNullException.ThrowIfNull(clientDefaultAcrValues);
        ArgumentNullException.ThrowIfNull(acrValues);
        if (acrClaim is { Essential: true, Values.Count: > 0 })
        {
            var defined = acrClaim.Values.Where(v => AuthenticationMethods.AcrValuesSupported.Contains(v, StringComparer.Ordinal)).ToList();
            if (defined.Count == 0)
            {
                return AcrRequirement.Unsatisfiable;
            }

            return clientRequiresMfa || !defined.Contains(AuthenticationMethods.AcrPassword, StringComparer.Ordinal)
                ? AcrRequirement.MultipleFactors
                : AcrRequirement.None;
        }

        var wished = acrValues.Count > 0 ? acrValues : acrClaim is { Values.Count: > 0 } ? acrClaim.Values : clientDefaultAcrValues;
        return clientRequiresMfa || AsksForMultipleFactors(wished) ? AcrRequirement.MultipleFactors : AcrRequirement.None;
    }

    /// <summary>The mfa level named and the password level not (a list accepting either is met by the password alone).</summary>
    private static bool AsksForMultipleFactors(IReadOnlyList<string> values) =>
        values.Contains(AuthenticationMethods.AcrMfa, StringComparer.Ordinal) && !values.Contains(AuthenticationMethods.AcrPassword, StringComparer.Ordinal);
}
