using System.Runtime.InteropServices;
using Appliance.Devices.Interop;

namespace Appliance.Devices.Pen;

/// <summary>
/// Puts the calling thread under SCHED_FIFO, so a pen sample is read and drawn ahead of every normal thread (the
/// grabs, the PDF renderer, a browser on the same four small cores). Allowed when the process has CAP_SYS_NICE or an
/// RLIMIT_RTPRIO at least <see cref="PenPriority"/> (the systemd unit sets <c>LimitRTPRIO</c>); otherwise the thread
/// stays as it was and the reason is returned for one log line. The kernel's RT throttling (95 % of each second)
/// still leaves the rest of the system a share if the thread ever spins.
/// </summary>
public static class RealtimeThread
{
    /// <summary>Low among RT priorities: above every normal thread, below the kernel's own RT threads (IRQ threads run at 50).</summary>
    public const int PenPriority = 10;

    /// <summary>Null when the thread now runs SCHED_FIFO at <paramref name="priority"/>; otherwise why not.</summary>
    public static unsafe string? TryEnterFifo(int priority)
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        var param = new Libc.SchedParam { Priority = priority };
        try
        {
            if (Libc.SchedSetScheduler(0, Libc.SCHED_FIFO, &param) == 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == Libc.EPERM
            ? $"not permitted (EPERM): the process has neither CAP_SYS_NICE nor RLIMIT_RTPRIO >= {priority} (systemd: LimitRTPRIO=)"
            : $"sched_setscheduler failed: errno {errno}";
    }
}
