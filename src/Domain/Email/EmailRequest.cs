using AuthService.Domain.Common;

namespace AuthService.Domain.Email;

/// <summary>What was asked for by address.</summary>
public enum EmailRequestKind
{
    /// <summary>A password-reset link (<c>/account/forgot-password</c>).</summary>
    PasswordReset = 1,

    /// <summary>A sign-in link (the account page's, the authorization flow's or the device page's form).</summary>
    SignInLink = 2,
}

/// <summary>
/// A link asked for by e-mail address, written as it was asked, before anyone looks at whom the address belongs to: the
/// request path writes this one row for every address, known or not, so it does the same work and answers in the same
/// time either way (ASVS 6.3.8). The e-mail request worker resolves it later, under the shared <see cref="OutboxMessage"/>
/// lease: an enabled account gets its token and message, anyone else the "no account" notice, written in the same save
/// that marks the request handled (<see cref="OutboxMessage.MarkDelivered"/>), so a request is answered once even when two
/// replicas' workers or a retry after a crash reach it. No secret is ever in the row: the worker generates the token.
/// </summary>
public sealed class EmailRequest : OutboxMessage
{
    /// <summary>The longest requesting address kept (an IPv6 address with a zone fits).</summary>
    public const int MaxSourceAddressLength = 64;

    private EmailRequest()
    {
        Address = null!;
        NormalizedEmail = null!;
    }

    public EmailRequestKind Kind { get; private set; }

    /// <summary>The address as typed (trimmed): where the "no account" notice goes, as before the worker resolved requests.</summary>
    public string Address { get; private set; }

    /// <summary>The address in <see cref="Users.User.Normalize"/>d form: what the worker looks the account up by.</summary>
    public string NormalizedEmail { get; private set; }

    /// <summary>Who asked (the client's IP address), for an administrator reading the request; never used to decide anything.</summary>
    public string? SourceAddress { get; private set; }

    /// <summary>A sign-in link's continuation kind (see <see cref="Continuation"/>).</summary>
    public SignInContinuationKind? ContinuationKind { get; private set; }

    public string? ContinuationRequest { get; private set; }

    public string? ContinuationDeviceCodeHash { get; private set; }

    /// <summary>
    /// What the sign-in link continues once used (the validated authorization request, a device's page), handed to the
    /// token the worker issues; kept only until the request is handled.
    /// </summary>
    public SignInContinuation? Continuation => SignInContinuation.From(ContinuationKind, ContinuationRequest, ContinuationDeviceCodeHash);

    /// <summary>
    /// A request for <paramref name="kind"/> to <paramref name="address"/> (already validated as an address by the caller),
    /// due at once.
    /// </summary>
    public static EmailRequest Create(Guid id, EmailRequestKind kind, string address, string? sourceAddress, SignInContinuation? continuation, DateTimeOffset now)
    {
        Guard.Against(!Enum.IsDefined(kind), "kind", "A request is for a reset or a sign-in link.");
        Guard.Against(string.IsNullOrWhiteSpace(address) || address.Length > Users.User.MaxEmailLength, "email", "A request names one address.");
        Guard.Against(continuation is not null && kind != EmailRequestKind.SignInLink, "continuation", "Only a sign-in link continues a flow.");
        var request = new EmailRequest
        {
            Kind = kind,
            Address = address,
            NormalizedEmail = Users.User.Normalize(address),
            SourceAddress = sourceAddress is { Length: > MaxSourceAddressLength } ? sourceAddress[..MaxSourceAddressLength] : sourceAddress,
            ContinuationKind = continuation?.Kind,
            ContinuationRequest = continuation?.Request,
            ContinuationDeviceCodeHash = continuation?.DeviceCodeHash,
        };
        request.Enqueue(id, now);
        return request;
    }

    /// <summary>The carried authorization request served its purpose once the token holds it (or nobody got one).</summary>
    protected override void OnSettled()
    {
        ContinuationKind = null;
        ContinuationRequest = null;
        ContinuationDeviceCodeHash = null;
    }

    /// <summary>Never the address: it says who asked for what.</summary>
    public override string ToString() => $"EmailRequest {{ Id = {Id}, Kind = {Kind}, Status = {Status} }}";
}
