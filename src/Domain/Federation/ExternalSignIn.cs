using System.Security.Cryptography;
using System.Text;
using AuthService.Domain.Common;
using AuthService.Domain.Email;

namespace AuthService.Domain.Federation;

/// <summary>What an upstream round trip was started for, and so where it continues.</summary>
public enum ExternalSignInPurpose
{
    /// <summary>The authorization flow's sign-in page (continues the carried authorization request).</summary>
    Authorization = 1,

    /// <summary>The device verification page's sign-in (continues to that device's page).</summary>
    Device = 2,

    /// <summary>The account page's sign-in.</summary>
    Account = 3,

    /// <summary>The signed-in account page links another provider to the account.</summary>
    Link = 4,

    /// <summary>
    /// The proof page's "sign in with X instead": a round trip with a provider already linked to the candidate account of
    /// another round trip awaiting proof (<see cref="ExternalSignIn.ProvesSignInId"/>), which it proves and continues.
    /// </summary>
    Proof = 5,
}

/// <summary>
/// One upstream round trip (docs/adr/0037 "The flow"). The <c>state</c> sent to the upstream is an opaque random value of
/// which only the SHA-256 is stored; so is the SHA-256 of a browser-binding value kept in a cookie set at the challenge: the
/// callback must present both, so an answer is taken only in the browser that started the round trip (RFC 6749 §10.12,
/// RFC 9700 §4.7: the state is bound to the user agent), and only on the provider's own callback (mix-up, RFC 9700 §4.4).
/// The nonce (OIDC Core §3.1.2.1) and the PKCE code verifier (RFC 7636 §4.1) stay on the server. A round trip is spent
/// once (<see cref="Complete"/>; the version concurrency token makes the second of two racing callbacks lose) and lives
/// <see cref="Lifetime"/>. When the upstream person matches a local account by address, linking needs proof: the round
/// trip then awaits that proof (<see cref="AwaitProof"/>), holding the upstream identity and the candidate account, for
/// <see cref="ProofLifetime"/> and <see cref="MaxProofAttempts"/> wrong passwords at most.
/// </summary>
public sealed class ExternalSignIn : AggregateRoot
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long the proof page stays usable after the upstream answered.</summary>
    public static readonly TimeSpan ProofLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Wrong proofs before the round trip is void (each also counts toward the account's lockout).</summary>
    public const int MaxProofAttempts = 5;

    /// <summary>Upstream <c>amr</c> values kept at most.</summary>
    public const int MaxMethods = 10;

    /// <summary>The longest nonce or code verifier kept (RFC 7636 §4.1: a verifier is 43 to 128 characters).</summary>
    public const int MaxSecretLength = 128;

    private List<string> _proofMethods = [];

    private ExternalSignIn()
    {
        StateHash = null!;
        BindingHash = null!;
        Nonce = null!;
        CodeVerifier = null!;
    }

    public Guid Id { get; private set; }

    public string StateHash { get; private set; }

    public string BindingHash { get; private set; }

    public Guid ProviderId { get; private set; }

    public string Nonce { get; private set; }

    public string CodeVerifier { get; private set; }

    public ExternalSignInPurpose Purpose { get; private set; }

    public SignInContinuationKind? ContinuationKind { get; private set; }

    public string? ContinuationRequest { get; private set; }

    public string? ContinuationDeviceCodeHash { get; private set; }

    /// <summary>The authorization request or device page it continues (<see cref="ExternalSignInPurpose.Authorization"/>, <see cref="ExternalSignInPurpose.Device"/>).</summary>
    public SignInContinuation? Continuation => SignInContinuation.From(ContinuationKind, ContinuationRequest, ContinuationDeviceCodeHash);

    /// <summary><see cref="ExternalSignInPurpose.Link"/>: the signed-in account and its session, fixed at the challenge.</summary>
    public Guid? LinkUserId { get; private set; }

    public Guid? LinkSessionId { get; private set; }

    /// <summary><see cref="ExternalSignInPurpose.Proof"/>: the round trip awaiting proof that this one's upstream answer proves.</summary>
    public Guid? ProvesSignInId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When the callback used the round trip up.</summary>
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>The awaiting-proof stage: the local account whose address equals the upstream's.</summary>
    public Guid? CandidateUserId { get; private set; }

    public string? ProofSubject { get; private set; }

    public string? ProofEmail { get; private set; }

    public bool ProofEmailVerified { get; private set; }

    public string? ProofName { get; private set; }

    /// <summary>The upstream's RFC 8176 <c>amr</c> values, as it said them.</summary>
    public IReadOnlyList<string> ProofMethods => _proofMethods;

    public DateTimeOffset? ProofExpiresAt { get; private set; }

    public int ProofAttempts { get; private set; }

    /// <summary>When the person proved they own the candidate account (the link was made).</summary>
    public DateTimeOffset? ProvenAt { get; private set; }

    public static ExternalSignIn Begin(
        Guid id, string stateHash, string bindingHash, Guid providerId, string nonce, string codeVerifier, ExternalSignInPurpose purpose,
        SignInContinuation? continuation, Guid? linkUserId, Guid? linkSessionId, DateTimeOffset now, Guid? provesSignInId = null)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(id == Guid.Empty || providerId == Guid.Empty, "id", "A round trip names itself and its provider.");
        Guard.Against(stateHash is not { Length: OpaqueToken.HashLength } || bindingHash is not { Length: OpaqueToken.HashLength },
            "state", "The state and the browser binding are stored as their SHA-256 (base64url).");
        Guard.Against(nonce is not { Length: > 0 and <= MaxSecretLength } || codeVerifier is not { Length: >= 43 and <= MaxSecretLength },
            "nonce", "A nonce and a code verifier (RFC 7636 §4.1: 43 to 128 characters) are required.");
        Guard.Against(!Enum.IsDefined(purpose), "purpose", "Unknown purpose.");
        Guard.Against(
            purpose switch
            {
                ExternalSignInPurpose.Authorization => continuation is not { Kind: SignInContinuationKind.Authorization },
                ExternalSignInPurpose.Device => continuation is not { Kind: SignInContinuationKind.Device },
                _ => continuation is not null,
            },
            "continuation", "An authorization or device sign-in carries its continuation, no other does.");
        Guard.Against(
            purpose == ExternalSignInPurpose.Link
                ? linkUserId is null || linkUserId == Guid.Empty || linkSessionId is null || linkSessionId == Guid.Empty
                : linkUserId is not null || linkSessionId is not null,
            "user", "A link names the signed-in account and its session; nothing else does.");
        Guard.Against(
            purpose == ExternalSignInPurpose.Proof ? provesSignInId is null || provesSignInId == Guid.Empty || provesSignInId == id : provesSignInId is not null,
            "proves", "A proof names the other round trip it proves; nothing else does.");
        return new ExternalSignIn
        {
            Id = id,
            StateHash = stateHash,
            BindingHash = bindingHash,
            ProviderId = providerId,
            Nonce = nonce,
            CodeVerifier = codeVerifier,
            Purpose = purpose,
            ContinuationKind = continuation?.Kind,
            ContinuationRequest = continuation?.Request,
            ContinuationDeviceCodeHash = continuation?.DeviceCodeHash,
            LinkUserId = linkUserId,
            LinkSessionId = linkSessionId,
            ProvesSignInId = provesSignInId,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
    }

    /// <summary>
    /// Whether the callback of <paramref name="providerId"/> in the browser presenting <paramref name="bindingHash"/> may use
    /// this round trip: not spent, not expired, the same provider, the same browser (compared in constant time).
    /// </summary>
    public bool AcceptsCallback(Guid providerId, string? bindingHash, DateTimeOffset now) =>
        CompletedAt is null && now < ExpiresAt && ProviderId == providerId && SameBrowser(bindingHash);

    /// <summary>The callback used the round trip: it answers no other.</summary>
    public void Complete(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(CompletedAt is not null, "state", "The round trip was used already.");
        Guard.Against(now >= ExpiresAt, "state", "The round trip has expired.");
        CompletedAt = now;
    }

    /// <summary>
    /// The upstream person's address equals <paramref name="candidateUserId"/>'s: nothing is linked until the person proves
    /// they own that account (docs/adr/0037 "Linking needs proof"). Follows <see cref="Complete"/>.
    /// </summary>
    public void AwaitProof(Guid candidateUserId, string subject, string? email, bool emailVerified, string? name, IReadOnlyList<string> methods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(methods);
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(CompletedAt is null, "state", "Proof is awaited after the upstream answered.");
        Guard.Against(CandidateUserId is not null, "state", "The round trip awaits proof already.");
        Guard.Against(Purpose is ExternalSignInPurpose.Link or ExternalSignInPurpose.Proof, "purpose",
            "A link from the signed-in account, or a proof for another round trip, awaits no proof of its own.");
        Guard.Against(candidateUserId == Guid.Empty, "user", "Proof is for an account.");
        Guard.Against(!ExternalIdentity.IsValidSubject(subject), "subject", "An upstream subject is required.");
        Guard.Against(methods.Count > MaxMethods, "amr", $"At most {MaxMethods} upstream methods are kept.");
        CandidateUserId = candidateUserId;
        ProofSubject = subject;
        ProofEmail = email is { Length: <= Users.User.MaxEmailLength } ? email : null;
        ProofEmailVerified = emailVerified;
        ProofName = name is { Length: <= Users.User.MaxNameLength } ? name : null;
        _proofMethods = [.. methods];
        ProofExpiresAt = now + ProofLifetime;
    }

    /// <summary>Whether the proof page may still be answered in the browser presenting <paramref name="bindingHash"/>.</summary>
    public bool AwaitsProof(string? bindingHash, DateTimeOffset now) =>
        CandidateUserId is not null && ProvenAt is null && ProofExpiresAt is { } expires && now < expires && ProofAttempts < MaxProofAttempts
        && SameBrowser(bindingHash);

    /// <summary>Counts a wrong proof; at <see cref="MaxProofAttempts"/> the round trip is void.</summary>
    public void RecordFailedProof(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(CandidateUserId is null || ProvenAt is not null, "state", "No proof is awaited.");
        ProofAttempts++;
    }

    /// <summary>The person proved they own the candidate account: the link is made in the same save; the proof answers once.</summary>
    public void Prove(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(CandidateUserId is null || ProvenAt is not null, "state", "No proof is awaited.");
        Guard.Against(ProofExpiresAt is { } expires && now >= expires, "state", "The proof page has expired.");
        ProvenAt = now;
    }

    private bool SameBrowser(string? bindingHash) =>
        bindingHash is { Length: OpaqueToken.HashLength }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(BindingHash), Encoding.ASCII.GetBytes(bindingHash));
}
