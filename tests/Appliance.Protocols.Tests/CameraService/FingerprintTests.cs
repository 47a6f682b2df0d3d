using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>fp= (seed 003 §8). Until the fingerprint module's host wiring lands, the sim terminal honestly has no sensor.</summary>
public sealed class FingerprintTests
{
    [Fact]
    public async Task Requests_are_validated_then_answered_device_absent()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("1", (await terminal.JsonAsync("/fp=read", """{"type":"gif"}""")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/fp=read", """{"type":"png"}""")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/fp=read")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/fp=verify", """{"feature":"AAAA"}""")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/fp=verify", """[{"feature":"not base64!"}]""")).Code());
        Assert.Equal("6", (await terminal.JsonAsync("/fp=verify", """[{"type":"bmp","data":"AAAA"},{"type":"bmp","data":"AAAA"}]""")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/fp=verify", """[{"feature":"AAAA"},{"feature":"AAAA"}]""")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/fp=verify", """[{"type":"feature","data":"AAAA"}]""")).Code());
    }
}
