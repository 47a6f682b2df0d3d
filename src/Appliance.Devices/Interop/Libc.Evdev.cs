using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>evdev ioctls (linux/input.h) and mkfifo for the sim board's pen pipe.</summary>
internal static unsafe partial class Libc
{
    private const uint EvdevType = 'E';

    [StructLayout(LayoutKind.Sequential)]
    public struct InputAbsInfo
    {
        public int Value;
        public int Minimum;
        public int Maximum;
        public int Fuzz;
        public int Flat;
        public int Resolution;
    }

    public static nuint EVIOCGNAME(uint length) => IoC(IocRead, EvdevType, 0x06, length);
    public static nuint EVIOCGBIT(uint eventType, uint length) => IoC(IocRead, EvdevType, 0x20 + eventType, length);
    public static nuint EVIOCGABS(uint axis) => IoR(EvdevType, 0x40 + axis, (uint)sizeof(InputAbsInfo));
    public static nuint EVIOCGRAB => IoW(EvdevType, 0x90, sizeof(int));

    [LibraryImport(Lib, EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mkfifo(string path, uint mode);

    public const int EEXIST = 17;
}
