namespace AuthService.Application.Federation;

/// <summary>Why an upstream sign-in ended on an error page (docs/adr/0037 "The flow"); the page says it in words, never with a secret.</summary>
public enum FederationFailure
{
    /// <summary>No enabled provider by that name (404).</summary>
    UnknownProvider,

    /// <summary>A link from the account page without a signed-in session.</summary>
    NotSignedIn,

    /// <summary>
    /// The callback matched no usable round trip: no or a wrong <c>state</c>, another browser's (no binding cookie), another
    /// provider's (mix-up), expired or used already (RFC 6749 §10.12, RFC 9700 §4.4 and §4.7). Nothing was written.
    /// </summary>
    RoundTripInvalid,

    /// <summary>The person cancelled at the upstream (its <c>error=access_denied</c>).</summary>
    Declined,

    /// <summary>The upstream could not be reached (502).</summary>
    Unavailable,

    /// <summary>The upstream's answer failed validation (a bad ID token, another audience, a refused code).</summary>
    UpstreamRefused,

    /// <summary>The linked account is disabled or locked, as the password form would refuse it.</summary>
    AccountCannotSignIn,

    /// <summary>The upstream identity is linked to another account already.</summary>
    LinkedToAnotherAccount,

    /// <summary>The provider admits only verified addresses in its allowed domains.</summary>
    DomainNotAllowed,

    /// <summary>No account for this identity, and the provider does not create one.</summary>
    NoAccount,

    /// <summary>The authorization request is too long to keep for the round trip.</summary>
    RequestTooLarge,
}
