using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>termios (raw mode, baud rate, flush) and pseudo-terminals (posix_openpt and friends).</summary>
internal static unsafe partial class Libc
{
    // asm-generic values: the same on x86-64 and arm64.
    public const uint CSIZE = 0x30, CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80, PARENB = 0x100, HUPCL = 0x400, CLOCAL = 0x800;
    public const uint CRTSCTS = 0x80000000;
    public const int VTIME = 5, VMIN = 6;
    public const int TCSANOW = 0;
    public const int TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;

    /// <summary>glibc's <c>struct termios</c> (NCCS = 32), 60 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint IFlag;
        public uint OFlag;
        public uint CFlag;
        public uint LFlag;
        public byte Line;
        public fixed byte ControlChars[32];
        public uint ISpeed;
        public uint OSpeed;
    }

    [LibraryImport(Lib, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, Termios* termios);

    [LibraryImport(Lib, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, Termios* termios);

    [LibraryImport(Lib, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(Termios* termios);

    [LibraryImport(Lib, EntryPoint = "cfsetspeed", SetLastError = true)]
    public static partial int CfSetSpeed(Termios* termios, uint speed);

    [LibraryImport(Lib, EntryPoint = "tcflush", SetLastError = true)]
    public static partial int TcFlush(int fd, int queueSelector);

    [LibraryImport(Lib, EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int PosixOpenPt(int flags);

    [LibraryImport(Lib, EntryPoint = "grantpt", SetLastError = true)]
    public static partial int GrantPt(int fd);

    [LibraryImport(Lib, EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int UnlockPt(int fd);

    [LibraryImport(Lib, EntryPoint = "ptsname_r", SetLastError = true)]
    public static partial int PtsNameR(int fd, byte* buffer, nuint length);

    /// <summary>The termios speed constant for a baud rate, or 0 when the rate has none.</summary>
    public static uint BaudConstant(int baud) => baud switch
    {
        1200 => 0x9,
        2400 => 0xB,
        4800 => 0xC,
        9600 => 0xD,
        19200 => 0xE,
        38400 => 0xF,
        57600 => 0x1001,
        115200 => 0x1002,
        230400 => 0x1003,
        460800 => 0x1004,
        921600 => 0x1007,
        _ => 0,
    };

    /// <summary>Raw 8N1, no flow control, non-blocking reads (VMIN 0, VTIME 0), at <paramref name="baud"/> when non-zero.</summary>
    public static void MakeRaw(int fd, int baud)
    {
        Termios t;
        if (TcGetAttr(fd, &t) != 0) throw Errno("tcgetattr");
        CfMakeRaw(&t);
        t.CFlag &= ~(CSTOPB | PARENB | CRTSCTS | HUPCL);
        t.CFlag |= CS8 | CREAD | CLOCAL;
        t.ControlChars[VMIN] = 0;
        t.ControlChars[VTIME] = 0;
        if (baud != 0)
        {
            var speed = BaudConstant(baud);
            if (speed == 0) throw new ArgumentOutOfRangeException(nameof(baud), baud, "no termios speed for this baud rate");
            if (CfSetSpeed(&t, speed) != 0) throw Errno("cfsetspeed");
        }
        if (TcSetAttr(fd, TCSANOW, &t) != 0) throw Errno("tcsetattr");
    }

    private const uint CBAUD = 0x100F;

    /// <summary>The baud rate the line of <paramref name="fd"/> is set to (any end of a pty sees the slave's termios), or 0 for none known.</summary>
    public static int LineBaudRate(int fd)
    {
        Termios t;
        if (TcGetAttr(fd, &t) != 0) throw Errno("tcgetattr");
        var speed = t.CFlag & CBAUD;
        foreach (var baud in (int[])[1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600])
            if (BaudConstant(baud) == speed) return baud;
        return 0;
    }

    public static IOException Errno(string call)
    {
        var errno = LastErrno;
        return new IOException($"{call}: {StrError(errno)} (errno {errno})", errno);
    }
}
