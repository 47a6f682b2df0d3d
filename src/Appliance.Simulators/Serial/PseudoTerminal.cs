using System.Text;
using Appliance.Devices.Interop;
using Appliance.Devices.Serial;

namespace Appliance.Simulators.Serial;

/// <summary>
/// One pty pair: the simulator holds the master, the driver opens the slave (through a stable symlink, the
/// way udev names a real port). The simulator also keeps the slave open itself so that the master does not
/// see a hang-up while the driver is between opens.
/// </summary>
public sealed unsafe class PseudoTerminal : IDisposable
{
    private int _slaveKeepAlive;

    private PseudoTerminal(TtyStream master, string slavePath, int slaveKeepAlive)
    {
        Master = master;
        SlavePath = slavePath;
        _slaveKeepAlive = slaveKeepAlive;
    }

    /// <summary>The simulator's side; a write here is what the device "sends".</summary>
    public TtyStream Master { get; }

    /// <summary><c>/dev/pts/N</c>: what a driver opens.</summary>
    public string SlavePath { get; }

    public static PseudoTerminal Open()
    {
        // Non-blocking: TtyStream polls; a blocking read would pin the master open after Dispose and hide the hang-up.
        var master = Libc.PosixOpenPt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        if (master < 0) throw Libc.Errno("posix_openpt");
        try
        {
            if (Libc.GrantPt(master) != 0) throw Libc.Errno("grantpt");
            if (Libc.UnlockPt(master) != 0) throw Libc.Errno("unlockpt");
            var name = stackalloc byte[128];
            var rc = Libc.PtsNameR(master, name, 128);
            if (rc != 0) throw new IOException($"ptsname_r failed: errno {rc}");
            var slavePath = Encoding.UTF8.GetString(name, IndexOfNul(name));
            Libc.MakeRaw(master, 0);
            var current = Libc.Open(slavePath, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC | Libc.O_NONBLOCK);
            if (current < 0) throw Libc.Errno("open " + slavePath);
            // Raw from the start: bytes the driver writes before it configures the port must not be echoed.
            Libc.MakeRaw(current, 0);
            return new PseudoTerminal(TtyStream.FromDescriptor(master, "pty master of " + slavePath), slavePath, current);
        }
        catch
        {
            Libc.Close(master);
            throw;
        }
    }

    private static int IndexOfNul(byte* s)
    {
        var i = 0;
        while (i < 128 && s[i] != 0) i++;
        return i;
    }

    /// <summary>The baud rate the driver set on its end (termios of the slave), as a device's UART would be clocked; 0 when unknown.</summary>
    public int LineBaudRate
    {
        get
        {
            var fd = Volatile.Read(ref _slaveKeepAlive);
            return fd < 0 ? 0 : Libc.LineBaudRate(fd);
        }
    }

    /// <summary>Closes both sides: to a driver holding the slave this is an unplug.</summary>
    public void Dispose()
    {
        Master.Dispose();
        var fd = Interlocked.Exchange(ref _slaveKeepAlive, -1);
        if (fd >= 0) Libc.Close(fd);
    }
}
