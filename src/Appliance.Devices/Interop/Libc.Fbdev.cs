using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>fbdev ioctls and structs (linux/fb.h).</summary>
internal static unsafe partial class Libc
{
    public const nuint FBIOGET_VSCREENINFO = 0x4600;
    public const nuint FBIOPUT_VSCREENINFO = 0x4601;
    public const nuint FBIOGET_FSCREENINFO = 0x4602;
    public const nuint FBIOPAN_DISPLAY = 0x4606;

    [StructLayout(LayoutKind.Sequential)]
    public struct FbBitfield
    {
        public uint Offset;
        public uint Length;
        public uint MsbRight;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct FbVarScreenInfo
    {
        public uint XRes, YRes, XResVirtual, YResVirtual, XOffset, YOffset, BitsPerPixel, Grayscale;
        public FbBitfield Red, Green, Blue, Transp;
        public uint NonStd, Activate, Height, Width, AccelFlags;
        public uint PixClock, LeftMargin, RightMargin, UpperMargin, LowerMargin, HSyncLen, VSyncLen, Sync, VMode, Rotate, Colorspace;
        public fixed uint Reserved[4];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct FbFixScreenInfo
    {
        public fixed byte Id[16];
        public nuint SmemStart;
        public uint SmemLen, Type, TypeAux, Visual;
        public ushort XPanStep, YPanStep, YWrapStep;
        public uint LineLength;
        public nuint MmioStart;
        public uint MmioLen, Accel;
        public ushort Capabilities;
        public fixed ushort Reserved[2];
    }
}
