using AuthService.Application.Email;
using AuthService.Application.Federation;
using AuthService.Application.Federation.Commands.BeginExternalSignIn;
using AuthService.Application.Federation.Commands.CompleteExternalSignIn;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Federation;

/// <summary>
/// The account resolution and the session's methods of an upstream sign-in, on the account page's sign-in (no
/// authorization request to validate), with a scripted upstream: which account signs in, when the local second factor
/// is asked, what is linked, what the refusals leave behind.
/// </summary>
public class CompleteExternalSignInHandlerTests
{
    private static readonly string Binding = OpaqueToken.New();

    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly InMemoryExternalProviderRepository _providers = new();
    private readonly InMemoryExternalSignInRepository _signIns = new();
    private readonly InMemoryExternalIdentityRepository _identities = new();
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryPendingSignInRepository _pending = new();
    private readonly InMemoryPasskeyRepository _passkeys = new();
    private readonly InMemorySecondFactorEnrolmentRepository _enrolments = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly RecordingAuditTrail _audit = new();
    private readonly ScriptedUpstreamProtocol _upstream = new();
    private readonly ExternalProvider _provider;
    private readonly User _user;

    public CompleteExternalSignInHandlerTests()
    {
        _provider = ExternalProvider.Create(Guid.NewGuid(), "idp", new ExternalProviderSettings("IdP", "client", Issuer: "https://idp.example",
            TrustEmailVerified: true, AutoProvision: true), TestClock.Start);
        _providers.Add(_provider);
        _user = RegisterUser();
        _users.Add(_user);
    }

    private SecondFactorStep Step => new(_enrolments, _passkeys, _pending, _users);

    private CompleteExternalSignInHandler Handler() => new(_providers, _signIns, _identities, [_upstream], _users, _sessions, Flow(), Proofs(),
        Step, Passwords(), _unitOfWork, _audit, new FakeIssuerProvider(), _clock, NullLogger<CompleteExternalSignInHandler>.Instance);

    private FederatedSignIn Flow() => new(new AuthorizationContinuation(AuthorizationRequestFakes.Resolver(_catalog, _clock)),
        new SignInContinuations(new NoDeviceAuthorizations(), _clock), new FakeIssuerProvider());

    private LinkProof Proofs() => new(_signIns, _identities, _providers, _passkeys, _users, Passwords(), Flow(), _unitOfWork, _clock,
        NullLogger<LinkProof>.Instance);

    private PasswordSignIn Passwords() => new(_users, _sessions, Step, new CountingPasswordHasher(), new FakeLoginThrottle(), _unitOfWork, _audit,
        InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions), Options.Create(new SignInOptions()), _clock,
        NullLogger<PasswordSignIn>.Instance);

    /// <summary>A round trip started from the account page in the browser with <see cref="Binding"/>; returns its state.</summary>
    private BeginExternalSignInHandler BeginHandler() => new(_providers, _signIns, [_upstream], AuthorizationRequestFakes.Resolver(_catalog, _clock), null!,
        new BrowserSessions(_sessions, _users, _clock), Proofs(), _unitOfWork, new FakeIssuerProvider(), _clock, NullLogger<BeginExternalSignInHandler>.Instance);

    private async Task<string> BeginAsync(ExternalSignInPurpose purpose = ExternalSignInPurpose.Account, string? sessionHandle = null)
    {
        var outcome = await BeginHandler().Handle(new BeginExternalSignIn("idp", purpose, null, null, sessionHandle, Binding, "203.0.113.9"), CancellationToken.None);
        Assert.IsType<ExternalSignInOutcome.ToUpstream>(outcome);
        return _upstream.Challenges[^1].State;
    }

    private Task<ExternalSignInOutcome> CallbackAsync(string state, bool sameBrowser = true, string? binding = null) =>
        Handler().Handle(new CompleteExternalSignIn("idp", new Dictionary<string, string> { ["code"] = "c", ["state"] = state }, sameBrowser ? Binding : binding, null, "203.0.113.9", "UA"),
            CancellationToken.None);

    private void Answer(string subject, string? email = "someone@idp.example", bool verified = true, params string[] methods) =>
        _upstream.Outcome = new UpstreamOutcome.Authenticated(new UpstreamIdentity(subject, email, verified, "Some One", methods));

    private void LinkToUser(string subject) =>
        _identities.Add(ExternalIdentity.Link(Guid.NewGuid(), _user.Id, _provider.Id, subject, _user.Email, "linked", TestClock.Start));

    private void GivePasskey() =>
        _passkeys.Add(Domain.Passkeys.Passkey.Register(Guid.NewGuid(), _user.Id, new byte[Domain.Passkeys.Passkey.MinCredentialIdLength], [1], 0, [],
            Guid.Empty, backupEligible: false, backedUp: false, "Key", _clock.GetUtcNow()));

    [Fact]
    public async Task A_linked_identity_signs_in_with_amr_fed_and_the_upstreams_well_formed_values_only()
    {
        LinkToUser("sub-1");
        var state = await BeginAsync();
        Answer("sub-1", null, false, "pwd", "PWD", "x y", "fed", "a-very-long-method-name-indeed", "otp");

        var account = Assert.IsType<ExternalSignInOutcome.Account>(await CallbackAsync(state));

        Assert.NotNull(account.SignIn.SessionHandle);
        var session = Assert.Single(_sessions.Sessions);
        Assert.Equal(_user.Id, session.UserId);
        Assert.Equal(["fed", "pwd", "otp"], session.AuthenticationMethods);
    }

    [Fact]
    public async Task An_account_with_a_second_factor_is_asked_for_it_unless_the_upstream_said_mfa()
    {
        LinkToUser("sub-1");
        GivePasskey();
        Answer("sub-1", methods: "pwd");

        var second = Assert.IsType<ExternalSignInOutcome.Account>(await CallbackAsync(await BeginAsync()));

        Assert.Null(second.SignIn.SessionHandle);
        Assert.NotNull(second.SignIn.PendingHandle);
        Assert.Equal(["fed", "pwd"], Assert.Single(_pending.Pending).FirstFactorMethods);
        Assert.Empty(_sessions.Sessions);

        Answer("sub-1", methods: ["pwd", "otp", "mfa"]);
        var signedIn = Assert.IsType<ExternalSignInOutcome.Account>(await CallbackAsync(await BeginAsync()));

        Assert.NotNull(signedIn.SignIn.SessionHandle);
        Assert.Equal(["fed", "pwd", "otp", "mfa"], Assert.Single(_sessions.Sessions).AuthenticationMethods);
    }

    [Fact]
    public async Task A_disabled_linked_account_is_refused_and_the_failure_audited()
    {
        LinkToUser("sub-1");
        _user.Disable("stamp-2", TestClock.Start);
        Answer("sub-1");

        var refused = Assert.IsType<ExternalSignInOutcome.ErrorPage>(await CallbackAsync(await BeginAsync()));

        Assert.Equal(FederationFailure.AccountCannotSignIn, refused.Failure);
        Assert.Empty(_sessions.Sessions);
        var record = Assert.Single(_audit.Records, r => r.EventType == "user.sign_in_failed");
        Assert.Equal("disabled", record.Details!["reason"]);
    }

    [Fact]
    public async Task The_same_address_as_an_account_waits_for_proof_and_links_nothing_even_when_verified()
    {
        var state = await BeginAsync();
        Answer("sub-2", _user.Email!.ToUpperInvariant(), verified: true, "pwd");

        var proof = Assert.IsType<ExternalSignInOutcome.ProveOwnership>(await CallbackAsync(state));

        var signIn = Assert.Single(_signIns.SignIns);
        Assert.Equal(signIn.Id, proof.SignInId);
        Assert.Equal(_user.Id, signIn.CandidateUserId);
        Assert.Empty(_identities.Identities);
        Assert.Empty(_sessions.Sessions);
        Assert.Single(_users.Users);
    }

    [Fact]
    public async Task A_new_person_is_provisioned_with_the_address_verified_only_when_the_provider_is_trusted_and_the_upstream_verified_it()
    {
        Answer("sub-3", "new@idp.example", verified: false);

        Assert.IsType<ExternalSignInOutcome.Account>(await CallbackAsync(await BeginAsync()));

        var created = Assert.Single(_users.Users, u => u.Id != _user.Id);
        Assert.Equal(("new@idp.example", false, null), (created.Username, created.EmailVerified, created.PasswordHash));
        var link = Assert.Single(_identities.Identities);
        Assert.Equal((created.Id, "sub-3"), (link.UserId, link.Subject));
        Assert.Equal("provisioned", Assert.IsType<Domain.Federation.Events.ExternalIdentityLinked>(Assert.Single(link.DomainEvents)).How);
    }

    [Fact]
    public async Task A_taken_username_gives_the_provider_name_and_a_number()
    {
        _users.Add(RegisterUser(username: "taken@idp.example", email: null));
        Answer("sub-4", "taken@idp.example");

        Assert.IsType<ExternalSignInOutcome.Account>(await CallbackAsync(await BeginAsync()));

        Assert.Contains(_users.Users, u => u.Username == "idp-1" && u.Email == "taken@idp.example");
    }

    [Fact]
    public async Task A_link_from_the_account_page_refuses_an_identity_linked_to_another_account()
    {
        var other = RegisterUser(username: "bob", email: "bob@example.com");
        _users.Add(other);
        _identities.Add(ExternalIdentity.Link(Guid.NewGuid(), other.Id, _provider.Id, "sub-5", null, "linked", TestClock.Start));
        var (session, handle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(session);
        Answer("sub-5");

        var refused = Assert.IsType<ExternalSignInOutcome.ErrorPage>(await CallbackAsync(await BeginAsync(ExternalSignInPurpose.Link, handle)));

        Assert.Equal(FederationFailure.LinkedToAnotherAccount, refused.Failure);
        Assert.Equal(other.Id, Assert.Single(_identities.Identities).UserId);
    }

    [Fact]
    public async Task A_link_from_the_account_page_links_to_the_signed_in_account()
    {
        var (session, handle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(session);
        Answer("sub-6", "different@idp.example");

        Assert.IsType<ExternalSignInOutcome.Linked>(await CallbackAsync(await BeginAsync(ExternalSignInPurpose.Link, handle)));

        Assert.Equal((_user.Id, "sub-6"), (Assert.Single(_identities.Identities).UserId, Assert.Single(_identities.Identities).Subject));
    }

    [Fact]
    public async Task Another_browser_or_a_used_state_is_refused_without_asking_the_upstream()
    {
        Answer("sub-1");
        var state = await BeginAsync();

        Assert.Equal(FederationFailure.RoundTripInvalid, Assert.IsType<ExternalSignInOutcome.ErrorPage>(await CallbackAsync(state, sameBrowser: false)).Failure);
        Assert.Equal(FederationFailure.RoundTripInvalid,
            Assert.IsType<ExternalSignInOutcome.ErrorPage>(await CallbackAsync(state, sameBrowser: false, binding: OpaqueToken.New())).Failure);
        Assert.Empty(_upstream.Callbacks);

        await CallbackAsync(state);
        Assert.Equal(FederationFailure.RoundTripInvalid, Assert.IsType<ExternalSignInOutcome.ErrorPage>(await CallbackAsync(state)).Failure);
        Assert.Single(_upstream.Callbacks);
    }

    [Theory]
    [InlineData(true, false, FederationFailure.Declined)]
    [InlineData(false, true, FederationFailure.Unavailable)]
    [InlineData(false, false, FederationFailure.UpstreamRefused)]
    public async Task An_upstream_refusal_says_why_and_is_audited_as_a_failed_sign_in(bool declined, bool unavailable, FederationFailure expected)
    {
        _upstream.Outcome = new UpstreamOutcome.Refused("why", declined, unavailable);

        var refused = Assert.IsType<ExternalSignInOutcome.ErrorPage>(await CallbackAsync(await BeginAsync()));

        Assert.Equal((expected, "IdP"), (refused.Failure, refused.Provider));
        Assert.Equal("upstream_why", Assert.Single(_audit.Records, r => r.EventType == "user.sign_in_failed").Details!["reason"]);
        Assert.Empty(_sessions.Sessions);
    }

    [Fact]
    public async Task A_proof_by_a_linked_provider_asks_the_local_second_factor_before_linking_unless_that_upstream_said_mfa()
    {
        var other = ExternalProvider.Create(Guid.NewGuid(), "idp2", new ExternalProviderSettings("IdP 2", "client", Issuer: "https://idp2.example",
            TrustEmailVerified: true, AutoProvision: true), TestClock.Start);
        _providers.Add(other);
        _identities.Add(ExternalIdentity.Link(Guid.NewGuid(), _user.Id, other.Id, "sub-2", null, "linked", TestClock.Start));
        GivePasskey();

        // R: idp's person with the account's address awaits proof; the page offers idp2 (linked) and the passkey.
        Answer("sub-new", _user.Email, verified: true);
        var proof = Assert.IsType<ExternalSignInOutcome.ProveOwnership>(await CallbackAsync(await BeginAsync()));
        Assert.Equal("idp2", Assert.Single(proof.Offer.Providers).Name);
        Assert.True(proof.Offer.Passkey);

        // idp2 answers with the account's link but without mfa: the second step of the proof, nothing linked yet.
        Answer("sub-2", methods: "pwd");
        var second = Assert.IsType<ExternalSignInOutcome.ProveSecondFactor>(await ProveWithAsync(other, proof.SignInId));
        Assert.Equal(proof.SignInId, second.SignInId);
        Assert.Equal(["fed", "pwd"], Assert.Single(_pending.Pending).FirstFactorMethods);
        Assert.Null(await _identities.FindAsync(_provider.Id, "sub-new", CancellationToken.None));
        Assert.Empty(_sessions.Sessions);

        // With mfa from idp2: R is proven, its link made and the session started in one go, amr fed and idp2's values.
        Answer("sub-2", methods: ["pwd", "mfa"]);
        var signedIn = Assert.IsType<ExternalSignInOutcome.Account>(await ProveWithAsync(other, proof.SignInId));
        Assert.NotNull(signedIn.SignIn.SessionHandle);
        Assert.Equal(["fed", "pwd", "mfa"], Assert.Single(_sessions.Sessions).AuthenticationMethods);
        Assert.Equal(_user.Id, (await _identities.FindAsync(_provider.Id, "sub-new", CancellationToken.None))!.UserId);
        Assert.NotNull((await _signIns.FindAsync(proof.SignInId, CancellationToken.None))!.ProvenAt);
    }

    [Fact]
    public async Task A_proof_round_trip_is_refused_for_a_provider_the_proof_page_does_not_offer()
    {
        Answer("sub-new", _user.Email, verified: true);
        var proof = Assert.IsType<ExternalSignInOutcome.ProveOwnership>(await CallbackAsync(await BeginAsync()));
        var count = _signIns.SignIns.Count;

        // idp itself (the provider being linked) is never offered; nor is a provider not linked to the account.
        var refused = await BeginHandler().Handle(new BeginExternalSignIn("idp", ExternalSignInPurpose.Proof, null, null, null, Binding, null, proof.SignInId),
            CancellationToken.None);

        Assert.Equal(FederationFailure.RoundTripInvalid, Assert.IsType<ExternalSignInOutcome.ErrorPage>(refused).Failure);
        Assert.Equal(count, _signIns.SignIns.Count);
    }

    /// <summary>The proof page's button of <paramref name="provider"/> for the round trip <paramref name="provesSignInId"/>, and that provider's callback.</summary>
    private async Task<ExternalSignInOutcome> ProveWithAsync(ExternalProvider provider, Guid provesSignInId)
    {
        var begun = await BeginHandler().Handle(new BeginExternalSignIn(provider.Name, ExternalSignInPurpose.Proof, null, null, null, Binding, "203.0.113.9",
            provesSignInId), CancellationToken.None);
        Assert.IsType<ExternalSignInOutcome.ToUpstream>(begun);
        return await Handler().Handle(new CompleteExternalSignIn(provider.Name,
            new Dictionary<string, string> { ["code"] = "c", ["state"] = _upstream.Challenges[^1].State }, Binding, null, "203.0.113.9", "UA"), CancellationToken.None);
    }

    [Fact]
    public async Task An_upstream_that_cannot_be_reached_at_the_challenge_keeps_no_round_trip()
    {
        _upstream.Down = true;
        var handler = new BeginExternalSignInHandler(_providers, _signIns, [_upstream], AuthorizationRequestFakes.Resolver(_catalog, _clock), null!,
            new BrowserSessions(_sessions, _users, _clock), Proofs(), _unitOfWork, new FakeIssuerProvider(), _clock, NullLogger<BeginExternalSignInHandler>.Instance);

        var outcome = await handler.Handle(new BeginExternalSignIn("idp", ExternalSignInPurpose.Account, null, null, null, null, null), CancellationToken.None);

        Assert.Equal(FederationFailure.Unavailable, Assert.IsType<ExternalSignInOutcome.ErrorPage>(outcome).Failure);
        Assert.Empty(_signIns.SignIns);
    }
}
