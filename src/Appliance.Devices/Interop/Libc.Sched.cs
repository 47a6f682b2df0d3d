using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>Scheduling policy of the calling thread (sched(7)).</summary>
internal static unsafe partial class Libc
{
    public const int SCHED_OTHER = 0;
    public const int SCHED_FIFO = 1;
    public const int EPERM = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct SchedParam
    {
        public int Priority;
    }

    /// <summary>pid 0 = the calling thread (Linux schedules threads, not processes).</summary>
    [LibraryImport(Lib, EntryPoint = "sched_setscheduler", SetLastError = true)]
    public static partial int SchedSetScheduler(int pid, int policy, SchedParam* param);
}
