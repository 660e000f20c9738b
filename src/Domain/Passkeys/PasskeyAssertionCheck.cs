namespace AuthService.Domain.Passkeys;

/// <summary>The outcome of recording a verified assertion on a <see cref="Passkey"/>. Every refusal looks the same to the browser.</summary>
public enum PasskeyAssertionCheck
{
    Accepted,

    /// <summary>WebAuthn L3 §7.2 step 22: the counter did not increase although one of the two is non-zero; a possible clone.</summary>
    CounterRegressed,

    /// <summary>The BE flag differs from registration (WebAuthn L3 §6.1: it must not change), or BS is set without BE.</summary>
    FlagsChanged,
}
