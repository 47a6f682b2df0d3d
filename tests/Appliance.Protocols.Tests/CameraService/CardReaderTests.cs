using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>card=idcard/getsamid/magcard/init/release (seed 003 §4). Until the serial readers' host wiring lands, the sim terminal has none.</summary>
public sealed class CardReaderTests
{
    [Fact]
    public async Task Without_wired_serial_readers_the_calls_answer_device_absent()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        foreach (var action in new[] { "idcard", "getsamid", "magcard", "init", "release" })
        {
            var answer = await terminal.JsonAsync($"/card= {action}");
            Assert.True(answer.Code() == "2", $"{action}: {answer}");
        }
    }
}
