using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Federation;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Federation;

public class ExternalSignInTests
{
    private static readonly Guid ProviderId = Guid.NewGuid();
    private const string Binding = "browser-binding-value";

    private static ExternalSignIn Begin(ExternalSignInPurpose purpose = ExternalSignInPurpose.Account, SignInContinuation? continuation = null,
        Guid? linkUser = null, Guid? linkSession = null) =>
        ExternalSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf("state"), OpaqueToken.HashOf(Binding), ProviderId, "nonce", new string('v', 43), purpose,
            continuation, linkUser, linkSession, Now);

    [Fact]
    public void A_callback_is_accepted_only_for_its_provider_in_its_browser_before_it_expires()
    {
        var signIn = Begin();

        Assert.True(signIn.AcceptsCallback(ProviderId, OpaqueToken.HashOf(Binding), Now));
        Assert.False(signIn.AcceptsCallback(Guid.NewGuid(), OpaqueToken.HashOf(Binding), Now));
        Assert.False(signIn.AcceptsCallback(ProviderId, OpaqueToken.HashOf("another-browser"), Now));
        Assert.False(signIn.AcceptsCallback(ProviderId, null, Now));
        Assert.False(signIn.AcceptsCallback(ProviderId, OpaqueToken.HashOf(Binding), Now + ExternalSignIn.Lifetime));
    }

    [Fact]
    public void Completing_spends_it_and_a_second_completion_is_refused()
    {
        var signIn = Begin();

        signIn.Complete(Now);

        Assert.False(signIn.AcceptsCallback(ProviderId, OpaqueToken.HashOf(Binding), Now));
        Assert.Throws<DomainRuleViolationException>(() => signIn.Complete(Now));
    }

    [Fact]
    public void The_purpose_fixes_what_it_carries()
    {
        Assert.Throws<DomainRuleViolationException>(() => Begin(ExternalSignInPurpose.Authorization));
        Assert.Throws<DomainRuleViolationException>(() => Begin(ExternalSignInPurpose.Account, SignInContinuation.Device(null)));
        Assert.Throws<DomainRuleViolationException>(() => Begin(ExternalSignInPurpose.Link));
        Assert.Throws<DomainRuleViolationException>(() => Begin(ExternalSignInPurpose.Account, linkUser: Guid.NewGuid(), linkSession: Guid.NewGuid()));

        var link = Begin(ExternalSignInPurpose.Link, linkUser: Guid.NewGuid(), linkSession: Guid.NewGuid());
        Assert.Equal(ExternalSignInPurpose.Link, link.Purpose);
        Assert.Equal(SignInContinuationKind.Device, Begin(ExternalSignInPurpose.Device, SignInContinuation.Device(null)).Continuation!.Kind);
    }

    [Fact]
    public void A_proof_round_trip_names_the_round_trip_it_proves_awaits_no_proof_of_its_own_and_no_other_purpose_names_one()
    {
        ExternalSignIn Proof(Guid? proves, ExternalSignInPurpose purpose = ExternalSignInPurpose.Proof) =>
            ExternalSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf("state"), OpaqueToken.HashOf(Binding), ProviderId, "nonce", new string('v', 43), purpose,
                null, null, null, Now, proves);
        var awaiting = Guid.NewGuid();

        var proof = Proof(awaiting);

        Assert.Equal(awaiting, proof.ProvesSignInId);
        Assert.Throws<DomainRuleViolationException>(() => Proof(null));
        Assert.Throws<DomainRuleViolationException>(() => Proof(Guid.Empty));
        Assert.Throws<DomainRuleViolationException>(() => Proof(awaiting, ExternalSignInPurpose.Account));
        proof.Complete(Now);
        Assert.Throws<DomainRuleViolationException>(() => proof.AwaitProof(Guid.NewGuid(), "sub", "a@b.example", true, null, [], Now));
    }

    [Fact]
    public void Proof_is_awaited_only_after_the_callback_in_the_same_browser_and_answers_once()
    {
        var signIn = Begin();
        var candidate = Guid.NewGuid();
        Assert.Throws<DomainRuleViolationException>(() => signIn.AwaitProof(candidate, "sub", "a@b.example", true, null, [], Now));

        signIn.Complete(Now);
        signIn.AwaitProof(candidate, "sub", "a@b.example", true, "A", ["pwd"], Now);

        Assert.True(signIn.AwaitsProof(OpaqueToken.HashOf(Binding), Now));
        Assert.False(signIn.AwaitsProof(OpaqueToken.HashOf("another-browser"), Now));
        Assert.False(signIn.AwaitsProof(OpaqueToken.HashOf(Binding), Now + ExternalSignIn.ProofLifetime));
        Assert.Equal(["pwd"], signIn.ProofMethods);

        signIn.Prove(Now);
        Assert.False(signIn.AwaitsProof(OpaqueToken.HashOf(Binding), Now));
        Assert.Throws<DomainRuleViolationException>(() => signIn.Prove(Now));
    }

    [Fact]
    public void Wrong_proofs_void_it_at_the_limit()
    {
        var signIn = Begin();
        signIn.Complete(Now);
        signIn.AwaitProof(Guid.NewGuid(), "sub", null, false, null, [], Now);

        for (var i = 0; i < ExternalSignIn.MaxProofAttempts - 1; i++)
        {
            signIn.RecordFailedProof(Now);
        }

        Assert.True(signIn.AwaitsProof(OpaqueToken.HashOf(Binding), Now));
        signIn.RecordFailedProof(Now);
        Assert.False(signIn.AwaitsProof(OpaqueToken.HashOf(Binding), Now));
    }

    [Fact]
    public void A_link_from_the_account_page_never_waits_for_proof()
    {
        var signIn = Begin(ExternalSignInPurpose.Link, linkUser: Guid.NewGuid(), linkSession: Guid.NewGuid());
        signIn.Complete(Now);

        Assert.Throws<DomainRuleViolationException>(() => signIn.AwaitProof(Guid.NewGuid(), "sub", null, false, null, [], Now));
    }
}
