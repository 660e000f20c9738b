using System.Text.Json;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Passkeys;
using AuthService.Domain.Passkeys;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security.Passkeys;

/// <summary>
/// <see cref="IWebAuthn"/> on Fido2 4.3.3 (WebAuthn Level 3 §7). The relying party is configured from the issuer on every
/// call (the issuer may be known only once the server listens): RP id = the issuer's host, origins = the issuer's origin,
/// unless <c>Auth:Passkeys</c> says otherwise. Attestation conveyance is "none" (§5.4.7): the server trusts the person who
/// is signed in, not the authenticator's make, so it asks for no attestation statement and accepts "none" (what browsers
/// send for it). Registration requires a discoverable credential and user verification, so the passkey can sign in
/// without a username; assertions require user verification for a passwordless sign-in and prefer it as a second factor.
/// The signature counter is decided by the <see cref="Passkey"/> aggregate (§7.2 step 22), so Fido2 is handed 0 as the
/// stored counter and does not decide it; the authenticator data's BE flag, which Fido2 does not return, is read here.
/// </summary>
internal sealed partial class Fido2WebAuthn(IIssuerProvider issuer, IOptions<PasskeyOptions> options, ILogger<Fido2WebAuthn> logger) : IWebAuthn
{
    /// <summary>COSE algorithms offered (§5.4.3 pubKeyCredParams): ES256, EdDSA, RS256, in that order of preference.</summary>
    private static readonly IReadOnlyList<PubKeyCredParam> Algorithms = [PubKeyCredParam.ES256, PubKeyCredParam.Ed25519, PubKeyCredParam.RS256];

    private const int FlagsOffset = 32;
    private const byte UserPresent = 0x01;
    private const byte UserVerified = 0x04;
    private const byte BackupEligibleFlag = 0x08;

    public string CreationOptions(byte[] challenge, PasskeyAccount account, IReadOnlyList<Passkey> existing) =>
        CreateOptions(challenge, account, existing).ToJson();

    public async Task<VerifiedRegistration?> VerifyRegistrationAsync(string? credentialJson, byte[] challenge, PasskeyAccount account,
        IReadOnlyList<Passkey> existing, CancellationToken cancellationToken)
    {
        if (Parse<AuthenticatorAttestationRawResponse>(credentialJson) is not { Response: not null, RawId: not null } response)
        {
            return null;
        }

        try
        {
            var credential = await new Fido2(Configuration()).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CreateOptions(challenge, account, existing),
                // Uniqueness across the server is the unique index; this only spares a doomed insert.
                IsCredentialIdUniqueToUserCallback = (_, _) => Task.FromResult(true),
            }, cancellationToken);
            return new VerifiedRegistration(credential.Id, credential.PublicKey, credential.SignCount,
                [.. (credential.Transports ?? []).Select(TransportName)], credential.AaGuid, credential.IsBackupEligible, credential.IsBackedUp);
        }
        catch (Exception exception) when (exception is Fido2VerificationException or JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            LogRefused(logger, "registration", exception.GetType().Name, exception.Message);
            return null;
        }
    }

    public string RequestOptions(byte[] challenge, IReadOnlyList<Passkey> allowed, bool requireUserVerification) =>
        AssertionOptionsFor(challenge, allowed, requireUserVerification).ToJson();

    public byte[]? CredentialIdOf(string? assertionJson) =>
        Parse<AuthenticatorAssertionRawResponse>(assertionJson) is { RawId: { Length: >= Passkey.MinCredentialIdLength and <= Passkey.MaxCredentialIdLength } rawId } ? rawId : null;

    public async Task<VerifiedAssertion?> VerifyAssertionAsync(string? assertionJson, byte[] challenge, Passkey passkey, bool requireUserVerification,
        CancellationToken cancellationToken)
    {
        if (Parse<AuthenticatorAssertionRawResponse>(assertionJson) is not { Response.AuthenticatorData: { Length: > FlagsOffset } authenticatorData } response)
        {
            return null;
        }

        try
        {
            var result = await new Fido2(Configuration()).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = AssertionOptionsFor(challenge, [passkey], requireUserVerification),
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = 0,
                // §7.2 step 6: a user handle, when present, must be the credential's owner.
                IsUserHandleOwnerOfCredentialIdCallback = (owner, _) =>
                    Task.FromResult(owner.UserHandle is null || owner.UserHandle.AsSpan().SequenceEqual(passkey.UserId.ToByteArray())),
            }, cancellationToken);

            var flags = authenticatorData[FlagsOffset];
            if ((flags & UserPresent) == 0 || (requireUserVerification && (flags & UserVerified) == 0))
            {
                return null;
            }

            return new VerifiedAssertion(result.SignCount, (flags & BackupEligibleFlag) != 0, result.IsBackedUp);
        }
        catch (Exception exception) when (exception is Fido2VerificationException or JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            LogRefused(logger, "assertion", exception.GetType().Name, exception.Message);
            return null;
        }
    }

    private CredentialCreateOptions CreateOptions(byte[] challenge, PasskeyAccount account, IReadOnlyList<Passkey> existing) =>
        CredentialCreateOptions.Create(Configuration(), challenge,
            new Fido2User { Id = account.UserHandle, Name = account.Name, DisplayName = account.DisplayName },
            new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationConveyancePreference.None,
            [.. existing.Select(Descriptor)],
            new AuthenticationExtensionsClientInputs { CredProps = true },
            Algorithms);

    private AssertionOptions AssertionOptionsFor(byte[] challenge, IReadOnlyList<Passkey> allowed, bool requireUserVerification) =>
        AssertionOptions.Create(Configuration(), challenge, [.. allowed.Select(Descriptor)],
            requireUserVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
            new AuthenticationExtensionsClientInputs());

    private Fido2Configuration Configuration()
    {
        var issuerUri = new Uri(issuer.Issuer);
        var settings = options.Value;
        var origins = settings.Origins is { Count: > 0 } configured
            ? configured.ToHashSet(StringComparer.Ordinal)
            : [issuerUri.GetLeftPart(UriPartial.Authority)];
        return new Fido2Configuration
        {
            RPID = settings.RelyingPartyId ?? issuerUri.Host,
            RPName = settings.RelyingPartyName,
            Origins = origins,
            Timeout = (uint)PasskeyCeremony.Lifetime.TotalMilliseconds,
        };
    }

    private static PublicKeyCredentialDescriptor Descriptor(Passkey passkey) =>
        new(PublicKeyCredentialType.PublicKey, passkey.CredentialId,
            [.. passkey.Transports.Select(ParseTransport).OfType<AuthenticatorTransport>()]);

    private static string TransportName(AuthenticatorTransport transport) =>
        JsonSerializer.Serialize(transport).Trim('"');

    private static AuthenticatorTransport? ParseTransport(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<AuthenticatorTransport>("\"" + name + "\"");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? Parse<T>(string? json)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "WebAuthn {Ceremony} refused: {Kind}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string ceremony, string kind, string reason);
}
