using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Tests.Shell;

/// <summary>Bad input is logged at most once per client per minute.</summary>
public sealed class BadInputLogTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_client_is_logged_once_a_minute_each_client_on_its_own()
    {
        var time = new ManualTime();
        var log = new BadInputLog(time);

        Assert.True(log.ShouldLog("192.168.1.20"));
        Assert.False(log.ShouldLog("192.168.1.20"));
        Assert.True(log.ShouldLog("192.168.1.21"));
        time.Now += TimeSpan.FromSeconds(59);
        Assert.False(log.ShouldLog("192.168.1.20"));
        time.Now += TimeSpan.FromSeconds(1);
        Assert.True(log.ShouldLog("192.168.1.20"));
        Assert.False(log.ShouldLog("192.168.1.20"));
    }

    [Fact]
    public void Many_clients_at_once_are_each_logged_and_a_client_is_logged_again_after_the_minute()
    {
        var time = new ManualTime();
        var log = new BadInputLog(time);
        for (var i = 0; i < 5000; i++) Assert.True(log.ShouldLog($"10.0.{i / 256}.{i % 256}"));
        time.Now += TimeSpan.FromMinutes(2);
        Assert.True(log.ShouldLog("10.0.0.0"));
        Assert.False(log.ShouldLog("10.0.0.0"));
    }
}
