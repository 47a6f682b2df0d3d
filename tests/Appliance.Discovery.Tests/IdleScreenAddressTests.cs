using Appliance.Discovery.Tests.Lab;
using Appliance.TestSupport;

namespace Appliance.Discovery.Tests;

/// <summary>The idle screen follows the terminal's addresses as the network changes them (NetworkChange), seen on /sim/screen.png.</summary>
[Collection("netns")]
public sealed class IdleScreenAddressTests
{
    [Fact]
    public async Task An_address_added_to_the_terminal_appears_on_the_idle_screen_and_leaves_with_it()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var (ns, _) = await lab.AddHostAsync();
        using var state = new TempDir();
        lab.StartTerminal(ns, state.Path, "--discovery:enabled=false");
        const string Screen = "http://127.0.0.1:38090/sim/screen.png";
        await NetnsLab.WaitFor(async () => await lab.FetchAsync(ns, "http://127.0.0.1:38090/health") is not null, "the terminal's /health\n" + lab.OutputText);
        var before = (await lab.FetchAsync(ns, Screen))!;

        await lab.IpAsync(ns, "addr add 10.77.0.250/24 dev eth0");
        await NetnsLab.WaitFor(async () => await lab.FetchAsync(ns, Screen) is { } png && !png.AsSpan().SequenceEqual(before), "the idle screen to show the new address");

        await lab.IpAsync(ns, "addr del 10.77.0.250/24 dev eth0");
        await NetnsLab.WaitFor(async () => await lab.FetchAsync(ns, Screen) is { } png && png.AsSpan().SequenceEqual(before), "the idle screen as it was before");
    }
}
