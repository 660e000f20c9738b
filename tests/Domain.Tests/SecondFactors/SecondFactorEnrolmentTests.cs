using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using AuthService.Domain.SecondFactors.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.SecondFactors;

public class SecondFactorEnrolmentTests
{
    /// <summary>A fake authenticator: the code of step s is s's last six digits, so a test names the code of any step.</summary>
    private sealed class StepCodes : ITotpCodes
    {
        public string CodeAt(long timeStep) => (timeStep % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly StepCodes Codes = new();

    private static readonly long Step = Totp.TimeStepAt(Now);

    private static string CodeOf(long step) => Codes.CodeAt(step);

    private static SecondFactorEnrolment Pending()
    {
        var enrolment = SecondFactorEnrolment.For(UserId);
        enrolment.BeginTotp([1, 2, 3], "kek-1", Now);
        return enrolment;
    }

    private static SecondFactorEnrolment Confirmed()
    {
        var enrolment = Pending();
        Assert.Equal(SecondFactorCheck.Accepted, enrolment.ConfirmTotp(CodeOf(Step - 1), Codes, Now));
        enrolment.ClearDomainEvents();
        return enrolment;
    }

    private static List<string> Hashes(IReadOnlyList<string> codes) => codes.Select(BackupCodes.HashOf).ToList();

    [Fact]
    public void A_begun_authenticator_is_pending_and_not_a_second_factor()
    {
        var enrolment = Pending();

        Assert.True(enrolment.HasPendingTotp);
        Assert.False(enrolment.IsActive);
        Assert.Equal(SecondFactorCheck.Rejected, enrolment.UseTotp(CodeOf(Step), Codes, Now));
    }

    [Fact]
    public void Confirming_with_the_current_code_activates_and_raises_enrolled()
    {
        var enrolment = Pending();

        Assert.Equal(SecondFactorCheck.Accepted, enrolment.ConfirmTotp(CodeOf(Step), Codes, Now));

        Assert.True(enrolment.IsActive);
        Assert.Equal(Step, enrolment.LastAcceptedTimeStep);
        Assert.Contains(enrolment.DomainEvents, e => e is SecondFactorEnrolled { Method: SecondFactorEnrolment.TotpMethod });
    }

    [Fact]
    public void Confirming_with_a_wrong_code_leaves_it_pending()
    {
        var enrolment = Pending();

        Assert.Equal(SecondFactorCheck.Rejected, enrolment.ConfirmTotp("000000", Codes, Now.AddYears(1)));
        Assert.True(enrolment.HasPendingTotp);
        Assert.DoesNotContain(enrolment.DomainEvents, e => e is SecondFactorEnrolled);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void A_code_one_step_either_side_is_accepted(int drift) =>
        Assert.Equal(SecondFactorCheck.Accepted, Pending().ConfirmTotp(CodeOf(Step + drift), Codes, Now));

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public void A_code_two_steps_away_is_refused(int drift) =>
        Assert.Equal(SecondFactorCheck.Rejected, Pending().ConfirmTotp(CodeOf(Step + drift), Codes, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("１２３４５６")]
    public void A_malformed_code_is_refused(string? code) =>
        Assert.Equal(SecondFactorCheck.Rejected, Confirmed().UseTotp(code, Codes, Now.AddMinutes(5)));

    [Fact]
    public void The_same_code_twice_is_refused_as_a_replay()
    {
        var enrolment = Confirmed();
        var later = Now.AddMinutes(2);
        var code = CodeOf(Totp.TimeStepAt(later));

        Assert.Equal(SecondFactorCheck.Accepted, enrolment.UseTotp(code, Codes, later));
        Assert.Equal(SecondFactorCheck.Replayed, enrolment.UseTotp(code, Codes, later));
    }

    [Fact]
    public void A_code_of_a_step_before_the_last_accepted_one_is_refused()
    {
        var enrolment = Confirmed();
        var later = Now.AddMinutes(2);
        var step = Totp.TimeStepAt(later);

        Assert.Equal(SecondFactorCheck.Accepted, enrolment.UseTotp(CodeOf(step + 1), Codes, later));
        Assert.Equal(SecondFactorCheck.Replayed, enrolment.UseTotp(CodeOf(step), Codes, later));
        Assert.Equal(SecondFactorCheck.Replayed, enrolment.UseTotp(CodeOf(step - 1), Codes, later));
    }

    [Fact]
    public void The_confirming_code_cannot_sign_in()
    {
        var enrolment = Confirmed();

        Assert.Equal(SecondFactorCheck.Replayed, enrolment.UseTotp(CodeOf(Step - 1), Codes, Now));
    }

    [Fact]
    public void A_second_authenticator_cannot_begin_while_one_is_confirmed() =>
        Assert.Throws<DomainRuleViolationException>(() => Confirmed().BeginTotp([9], "kek-1", Now));

    [Fact]
    public void Restarting_a_pending_enrolment_replaces_its_secret()
    {
        var enrolment = Pending();
        enrolment.BeginTotp([7, 7], "kek-2", Now.AddMinutes(1));

        Assert.Equal([7, 7], enrolment.ProtectedTotpSecret);
        Assert.Equal("kek-2", enrolment.KeyEncryptionKeyId);
    }

    [Fact]
    public void Backup_codes_need_a_confirmed_authenticator() =>
        Assert.Throws<DomainRuleViolationException>(() => Pending().RegenerateBackupCodes(Hashes(BackupCodes.NewSet()), Now));

    [Fact]
    public void A_backup_code_is_accepted_once()
    {
        var enrolment = Confirmed();
        var codes = BackupCodes.NewSet();
        enrolment.RegenerateBackupCodes(Hashes(codes), Now);

        Assert.Equal(SecondFactorCheck.Accepted, enrolment.UseBackupCode(codes[3], Now));
        Assert.Equal(SecondFactorCheck.Rejected, enrolment.UseBackupCode(codes[3], Now));
        Assert.Equal(BackupCodes.Count - 1, enrolment.BackupCodeHashes.Count);
    }

    [Fact]
    public void A_backup_code_is_accepted_as_shown_with_dashes_and_in_lower_case()
    {
        var enrolment = Confirmed();
        var codes = BackupCodes.NewSet();
        enrolment.RegenerateBackupCodes(Hashes(codes), Now);

        Assert.Equal(SecondFactorCheck.Accepted, enrolment.UseBackupCode(BackupCodes.Format(codes[0]).ToLowerInvariant(), Now));
    }

    [Fact]
    public void Regenerating_kills_every_old_backup_code()
    {
        var enrolment = Confirmed();
        var old = BackupCodes.NewSet();
        enrolment.RegenerateBackupCodes(Hashes(old), Now);
        enrolment.RegenerateBackupCodes(Hashes(BackupCodes.NewSet()), Now.AddMinutes(1));

        Assert.All(old, code => Assert.Equal(SecondFactorCheck.Rejected, enrolment.UseBackupCode(code, Now.AddMinutes(2))));
        Assert.Contains(enrolment.DomainEvents, e => e is BackupCodesRegenerated { Count: BackupCodes.Count });
    }

    [Fact]
    public void A_set_of_backup_codes_must_be_ten_distinct_hashes()
    {
        var hashes = Hashes(BackupCodes.NewSet());
        hashes[1] = hashes[0];

        Assert.Throws<DomainRuleViolationException>(() => Confirmed().RegenerateBackupCodes(hashes, Now));
        Assert.Throws<DomainRuleViolationException>(() => Confirmed().RegenerateBackupCodes(hashes.Take(9).ToList(), Now));
    }

    [Fact]
    public void New_backup_codes_are_ten_distinct_codes_of_the_unambiguous_alphabet()
    {
        var codes = BackupCodes.NewSet();

        Assert.Equal(BackupCodes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code =>
        {
            Assert.Equal(BackupCodes.Length, code.Length);
            Assert.DoesNotContain(code, c => c is '0' or 'O' or '1' or 'I' or 'L');
            Assert.True(BackupCodes.IsWellFormed(code));
        });
    }

    [Fact]
    public void Removing_clears_the_authenticator_and_the_backup_codes()
    {
        var enrolment = Confirmed();
        var codes = BackupCodes.NewSet();
        enrolment.RegenerateBackupCodes(Hashes(codes), Now);

        Assert.True(enrolment.Remove("self", Now));

        Assert.False(enrolment.IsActive);
        Assert.Null(enrolment.ProtectedTotpSecret);
        Assert.Empty(enrolment.BackupCodeHashes);
        Assert.Equal(SecondFactorCheck.Rejected, enrolment.UseBackupCode(codes[0], Now));
        Assert.Contains(enrolment.DomainEvents, e => e is SecondFactorRemoved { Reason: "self" });
        Assert.False(enrolment.Remove("self", Now));
    }

    [Fact]
    public void Removing_a_pending_authenticator_is_not_a_removed_second_factor()
    {
        var enrolment = Pending();

        Assert.True(enrolment.Remove("self", Now));
        Assert.DoesNotContain(enrolment.DomainEvents, e => e is SecondFactorRemoved);
    }
}
