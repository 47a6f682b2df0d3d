using System.Text.RegularExpressions;
using Appliance.Devices.IdCard;
using Appliance.Simulators.IdCard;
using Appliance.Simulators.MagStripe;
using Appliance.TestSupport;

namespace Appliance.Simulators.Tests.IdCard;

/// <summary>Every identity the simulator (and so the sim board) hands out is invented and well-formed.</summary>
public sealed partial class FictionalCardTests
{
    public static TheoryData<string> Presets => [.. FictionalCard.PresetNames];

    public static TheoryData<string> Gb11643Presets =>
        [.. FictionalCard.PresetNames.Where(p => FictionalCard.FromPreset(p).Kind != IdCardKind.ForeignPermanentResident2017)];

    [Theory]
    [MemberData(nameof(Gb11643Presets))]
    public void Every_18_character_preset_number_carries_a_valid_gb11643_check_character(string preset)
    {
        var card = FictionalCard.FromPreset(preset);
        Assert.True(IdCardCodes.HasValidCheckCharacter(card.IdNumber), $"{preset}: {card.IdNumber}");
        // Birth date inside the number agrees with the card's birth field; the sequence digit's parity with its sex.
        Assert.Equal(card.Fields["birth"], card.IdNumber.Substring(card.Kind == IdCardKind.ForeignPermanentResident2023 ? 6 : 6, 8));
        Assert.Equal(card.Fields["sex"] == "1", (card.IdNumber[16] - '0') % 2 == 1);
    }

    [Fact]
    public void The_2017_foreigner_number_agrees_with_the_card_and_carries_its_check_digit()
    {
        var card = FictionalCard.FromPreset("foreigner2017");
        var number = card.IdNumber;
        Assert.Matches("^[A-Z]{3}[0-9]{12}$", number);
        Assert.Equal(card.Fields["country"], number[..3]);        // nationality
        Assert.Equal(card.Fields["issuerCode"], number[3..7]);    // accepting authority
        Assert.Equal(card.Fields["birth"][2..], number[7..13]);   // YYMMDD
        Assert.Equal(FictionalCard.IcaoCheckDigit(number.AsSpan(0, 14)), number[14]);
        // The scheme is ICAO 9303's: its specimen passport has number L898902C3 check 6, birth date 740812 check 2.
        Assert.Equal('6', FictionalCard.IcaoCheckDigit("L898902C3"));
        Assert.Equal('2', FictionalCard.IcaoCheckDigit("740812"));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_preset_encodes_to_a_256_byte_block_that_decodes_back(string preset)
    {
        var card = FictionalCard.FromPreset(preset);
        var data = IdCardText.Decode(card.TextBlock(), card.PhotoWlt, card.Fingerprint, null, "");
        Assert.Equal(card.Kind, data.Kind);
        Assert.Equal(card.IdNumber, data.IdNumber);
        Assert.Equal(card.Fields["name"], data.Name);
    }

    [Fact]
    public void Identity_kinds_are_the_four_the_terminal_must_read()
    {
        var kinds = FictionalCard.PresetNames.Select(p => FictionalCard.FromPreset(p).Kind).ToHashSet();
        Assert.Contains(IdCardKind.Mainland, kinds);
        Assert.Contains(IdCardKind.HkMacauTaiwanResident, kinds);
        Assert.Contains(IdCardKind.ForeignPermanentResident2023, kinds);
        Assert.Contains(IdCardKind.ForeignPermanentResident2017, kinds);
        Assert.StartsWith("9", FictionalCard.FromPreset("foreigner").IdNumber);
        Assert.StartsWith("810000", FictionalCard.FromPreset("hkmotw").IdNumber);
    }

    [Fact]
    public void The_stripe_simulators_sample_card_has_a_luhn_valid_test_range_pan()
    {
        var pan = MagStripeReaderSimulator.SampleCard.Track2.Split('=')[0];
        Assert.StartsWith(CardNumbers.TestIssuerPrefix, pan);
        Assert.True(CardNumbers.HasValidLuhnDigit(pan), pan);
    }

    /// <summary>
    /// The PC/SC tests' card emulators (tools/sim-cards/*.py) are test data of the same kind:
    /// every quoted 18-character identity number carries its GB 11643 check character, every PAN its Luhn digit
    /// and the test issuer range.
    /// </summary>
    [Fact]
    public void The_card_emulator_scripts_carry_well_formed_invented_numbers()
    {
        var ids = 0;
        var pans = 0;
        foreach (var script in Directory.GetFiles(Repository.Combine("tools", "sim-cards"), "*.py"))
        {
            var text = File.ReadAllText(script);
            foreach (Match m in IdNumberLiteral().Matches(text))
            {
                ids++;
                Assert.True(IdCardCodes.HasValidCheckCharacter(m.Groups[1].Value), $"{Path.GetFileName(script)}: {m.Groups[1].Value}");
            }
            foreach (Match m in PanLiteral().Matches(text))
            {
                pans++;
                Assert.StartsWith(CardNumbers.TestIssuerPrefix, m.Groups[1].Value);
                Assert.True(CardNumbers.HasValidLuhnDigit(m.Groups[1].Value), $"{Path.GetFileName(script)}: {m.Groups[1].Value}");
            }
        }
        Assert.True(ids >= 2 && pans >= 1, $"found {ids} identity numbers and {pans} PANs: has the scripts' layout changed?");
    }

    [GeneratedRegex("\"([0-9]{17}[0-9X])\"")]
    private static partial Regex IdNumberLiteral();

    [GeneratedRegex("PAN = \"([0-9]+)\"")]
    private static partial Regex PanLiteral();
}
