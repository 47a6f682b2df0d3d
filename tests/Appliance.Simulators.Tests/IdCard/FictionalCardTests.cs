using Appliance.Devices.IdCard;
using Appliance.Simulators.IdCard;

namespace Appliance.Simulators.Tests.IdCard;

/// <summary>Every identity the simulator (and so the sim board) hands out is invented and well-formed.</summary>
public sealed class FictionalCardTests
{
    public static TheoryData<string> Presets => [.. FictionalCard.PresetNames];

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_preset_number_carries_a_valid_gb11643_check_character(string preset)
    {
        var card = FictionalCard.FromPreset(preset);
        Assert.True(IdCardCodes.HasValidCheckCharacter(card.IdNumber), $"{preset}: {card.IdNumber}");
        // Birth date inside the number agrees with the card's birth field; the sequence digit's parity with its sex.
        Assert.Equal(card.Fields["birth"], card.IdNumber.Substring(card.Kind == IdCardKind.ForeignPermanentResident2023 ? 6 : 6, 8));
        Assert.Equal(card.Fields["sex"] == "1", (card.IdNumber[16] - '0') % 2 == 1);
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
    public void Identity_kinds_are_the_three_the_terminal_must_read()
    {
        var kinds = FictionalCard.PresetNames.Select(p => FictionalCard.FromPreset(p).Kind).ToHashSet();
        Assert.Contains(IdCardKind.Mainland, kinds);
        Assert.Contains(IdCardKind.HkMacauTaiwanResident, kinds);
        Assert.Contains(IdCardKind.ForeignPermanentResident2023, kinds);
        Assert.StartsWith("9", FictionalCard.FromPreset("foreigner").IdNumber);
        Assert.StartsWith("810000", FictionalCard.FromPreset("hkmotw").IdNumber);
    }
}
