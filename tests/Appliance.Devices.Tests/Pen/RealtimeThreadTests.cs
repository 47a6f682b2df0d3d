using Appliance.Devices.Pen;

namespace Appliance.Devices.Tests.Pen;

public sealed class RealtimeThreadTests
{
    /// <summary>Field 41 of /proc/thread-self/stat (after the parenthesised name): 0 SCHED_OTHER, 1 SCHED_FIFO.</summary>
    private static int PolicyOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_thread_runs_fifo_when_allowed_and_otherwise_stays_as_it_was_and_says_why()
    {
        string? refused = "not run";
        int before = -1, after = -1;
        var thread = new Thread(() =>
        {
            before = PolicyOfThisThread();
            refused = RealtimeThread.TryEnterFifo(1);
            after = PolicyOfThisThread();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(0, before);
        if (refused is null) Assert.Equal(1, after);
        else
        {
            Assert.Equal(0, after);
            Assert.Contains("EPERM", refused, StringComparison.Ordinal);
        }
    }
}
