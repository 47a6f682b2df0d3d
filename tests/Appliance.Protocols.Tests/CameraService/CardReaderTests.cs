using Appliance.SimBoard;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>card=idcard/getsamid/magcard/init/release (seed 003 §4) against the sim board's SAM module and stripe reader simulators.</summary>
public sealed class CardReaderTests
{
    [Fact]
    public async Task Id_card_sam_id_and_magnetic_stripe_are_read_through_the_serial_drivers()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var sim = terminal.Service<ISimPeripherals>();

        // The drivers connect in the background after start: wait for the SAM module.
        var sam = await terminal.UntilAsync("/card= getsamid", "", a => a.Code() != "2");
        Assert.True(sam.Code() == "0", sam.ToString());
        Assert.NotEmpty(sam.Str("samID"));
        Assert.Equal("0", (await terminal.JsonAsync("/card=init")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/card= release")).Code());

        sim.PlaceCard(sim.CardPresets[0]);
        var card = await terminal.JsonAsync("/card=idcard");
        Assert.True(card.Code() == "0", card.ToString());
        Assert.Matches("^[ABCJI]$", card.Str("cardType"));
        var info = card.GetProperty("IDCardInfo");
        Assert.NotEmpty(info.Str("name"));
        Assert.Equal(18, info.Str("cardID").Length);

        sim.Swipe("B9999990000000000014^ZHANG/SAN^49122011", "9999990000000000014=49122011234567890", "");
        var mag = await terminal.JsonAsync("/card=magcard", """{"timeout":"30"}""");
        Assert.True(mag.Code() == "0", mag.ToString());
        Assert.Contains("9999990000000000014", mag.GetProperty("MagCardInfo").Str("Track2"));
    }
}
