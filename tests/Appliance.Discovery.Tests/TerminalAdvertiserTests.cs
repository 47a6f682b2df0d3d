using System.Net;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Discovery.Dns;
using Appliance.Discovery.Mdns;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Discovery.Tests;

/// <summary>The terminal's advertisement on an in-memory link, following a real terminal session.</summary>
public sealed class TerminalAdvertiserTests
{
    private static readonly MdnsInterface TestInterface = new(1, "test0", [IPAddress.Parse("192.0.2.10")]);

    private static string? State(DnsMessage m) =>
        m.Answers.Select(a => a.Data).OfType<TxtData>().Select(t => t.ToDictionary()).FirstOrDefault(t => t.ContainsKey("serial"))?.GetValueOrDefault("state");

    [Fact]
    public async Task Txt_state_is_busy_while_a_task_is_on_screen_and_idle_again_after_it()
    {
        using var stateDir = new TempDir();
        var journal = new ResultsJournal(stateDir.Path, new JournalOptions(), TimeProvider.System, NullLogger<ResultsJournal>.Instance);
        var session = new TerminalSession(journal, null, TimeProvider.System, NullLogger<TerminalSession>.Instance);
        var link = new MemoryLink(TestInterface);
        await using var advertiser = new TerminalAdvertiser(new MdnsResponderOptions { HostName = "signterm-t", InstanceName = "Desk" },
            () => 12349, () => 38090, () => [new("txtvers", "1"), new("serial", "T1")], link, () => [TestInterface]);
        using var following = advertiser.Follow(session);
        advertiser.Start();
        var announced = await link.NextMulticastAsync(m => m.IsResponse && State(m) is not null);
        Assert.Equal("idle", State(announced));
        await Until(() => link.Sent.Count(m => m.IsResponse) >= 2);
        link.SkipSent();

        var person = new TaskCompletionSource<TaskProduct>(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempt = session.TryStart(TaskKind.Sign, new TaskRequester("uos", "192.0.2.20", "uos-1"), TimeSpan.FromMinutes(5),
            new ScreenPrompt("请签名 / Sign", ""), _ => person.Task);
        Assert.True(attempt.IsStarted);
        var busy = await link.NextMulticastAsync(m => m.IsResponse && State(m) == "busy");
        Assert.Equal("busy", State(busy));
        Assert.True(busy.Answers.Single(a => a.Data is TxtData t && t.ToDictionary().ContainsKey("serial")).CacheFlush);
        Assert.Equal(TerminalAvailability.Busy, advertiser.Availability);

        person.SetResult(TaskProduct.CancelledByPerson);
        await attempt.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        // Only the end of the task can turn "busy" back into "idle" on the link.
        var idle = await link.NextMulticastAsync(m => m.IsResponse && State(m) == "idle");
        Assert.True(idle.Answers.Single(a => a.Data is TxtData t && t.ToDictionary().ContainsKey("serial")).CacheFlush);
        Assert.Equal(TerminalAvailability.Idle, advertiser.Availability);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the responder did not get there in 30 s");
            await Task.Delay(20);
        }
    }
}
