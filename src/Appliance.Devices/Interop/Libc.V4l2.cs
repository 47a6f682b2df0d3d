using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>
/// V4L2 (linux/videodev2.h): the ioctl numbers and structs the camera driver uses. Layouts are the
/// 64-bit ones (x86-64, arm64); sizes are asserted by the tests because they are encoded in the numbers.
/// </summary>
internal static unsafe partial class Libc
{
    private const uint V = 'V';

    public static readonly nuint VIDIOC_QUERYCAP = IoR(V, 0, (uint)sizeof(V4l2Capability));
    public static readonly nuint VIDIOC_ENUM_FMT = IoWR(V, 2, (uint)sizeof(V4l2FmtDesc));
    public static readonly nuint VIDIOC_G_FMT = IoWR(V, 4, (uint)sizeof(V4l2Format));
    public static readonly nuint VIDIOC_S_FMT = IoWR(V, 5, (uint)sizeof(V4l2Format));
    public static readonly nuint VIDIOC_REQBUFS = IoWR(V, 8, (uint)sizeof(V4l2RequestBuffers));
    public static readonly nuint VIDIOC_QUERYBUF = IoWR(V, 9, (uint)sizeof(V4l2Buffer));
    public static readonly nuint VIDIOC_QBUF = IoWR(V, 15, (uint)sizeof(V4l2Buffer));
    public static readonly nuint VIDIOC_DQBUF = IoWR(V, 17, (uint)sizeof(V4l2Buffer));
    public static readonly nuint VIDIOC_STREAMON = IoW(V, 18, sizeof(int));
    public static readonly nuint VIDIOC_STREAMOFF = IoW(V, 19, sizeof(int));
    public static readonly nuint VIDIOC_S_PARM = IoWR(V, 22, (uint)sizeof(V4l2StreamParm));
    public static readonly nuint VIDIOC_G_CTRL = IoWR(V, 27, (uint)sizeof(V4l2Control));
    public static readonly nuint VIDIOC_S_CTRL = IoWR(V, 28, (uint)sizeof(V4l2Control));
    public static readonly nuint VIDIOC_QUERYCTRL = IoWR(V, 36, (uint)sizeof(V4l2QueryCtrl));
    public static readonly nuint VIDIOC_ENUM_FRAMESIZES = IoWR(V, 74, (uint)sizeof(V4l2FrmSizeEnum));

    public const uint V4L2_CAP_VIDEO_CAPTURE = 0x00000001;
    public const uint V4L2_CAP_STREAMING = 0x04000000;
    public const uint V4L2_CAP_DEVICE_CAPS = 0x80000000;

    public const uint V4L2_BUF_TYPE_VIDEO_CAPTURE = 1;
    public const uint V4L2_MEMORY_MMAP = 1;
    public const uint V4L2_FIELD_ANY = 0;
    public const uint V4L2_FIELD_NONE = 1;
    public const uint V4L2_FRMSIZE_TYPE_DISCRETE = 1;
    public const uint V4L2_FRMSIZE_TYPE_CONTINUOUS = 2;
    public const uint V4L2_FRMSIZE_TYPE_STEPWISE = 3;
    public const uint V4L2_BUF_FLAG_ERROR = 0x40;
    public const uint V4L2_COLORSPACE_JPEG = 7, V4L2_COLORSPACE_SRGB = 8;
    public const uint V4L2_YCBCR_ENC_601 = 1;
    public const uint V4L2_QUANTIZATION_DEFAULT = 0, V4L2_QUANTIZATION_FULL_RANGE = 1, V4L2_QUANTIZATION_LIM_RANGE = 2;
    public const uint V4L2_CTRL_FLAG_DISABLED = 0x0001;
    public const uint V4L2_CTRL_FLAG_INACTIVE = 0x0010;
    public const uint V4L2_CTRL_TYPE_INTEGER = 1, V4L2_CTRL_TYPE_BOOLEAN = 2, V4L2_CTRL_TYPE_MENU = 3;

    public static uint FourCc(char a, char b, char c, char d) => a | ((uint)b << 8) | ((uint)c << 16) | ((uint)d << 24);
    public static readonly uint V4L2_PIX_FMT_MJPEG = FourCc('M', 'J', 'P', 'G');
    public static readonly uint V4L2_PIX_FMT_YUYV = FourCc('Y', 'U', 'Y', 'V');

    // Control ids: user class and camera class.
    public const uint V4L2_CID_BASE = 0x00980900;
    public const uint V4L2_CID_BRIGHTNESS = V4L2_CID_BASE + 0;
    public const uint V4L2_CID_CONTRAST = V4L2_CID_BASE + 1;
    public const uint V4L2_CID_SATURATION = V4L2_CID_BASE + 2;
    public const uint V4L2_CID_HUE = V4L2_CID_BASE + 3;
    public const uint V4L2_CID_AUTO_WHITE_BALANCE = V4L2_CID_BASE + 12;
    public const uint V4L2_CID_GAMMA = V4L2_CID_BASE + 16;
    public const uint V4L2_CID_AUTOGAIN = V4L2_CID_BASE + 18;
    public const uint V4L2_CID_GAIN = V4L2_CID_BASE + 19;
    public const uint V4L2_CID_HUE_AUTO = V4L2_CID_BASE + 25;
    public const uint V4L2_CID_WHITE_BALANCE_TEMPERATURE = V4L2_CID_BASE + 26;
    public const uint V4L2_CID_SHARPNESS = V4L2_CID_BASE + 27;
    public const uint V4L2_CID_BACKLIGHT_COMPENSATION = V4L2_CID_BASE + 28;
    public const uint V4L2_CID_COLOR_KILLER = V4L2_CID_BASE + 30;
    public const uint V4L2_CID_CAMERA_CLASS_BASE = 0x009A0900;
    public const uint V4L2_CID_EXPOSURE_AUTO = V4L2_CID_CAMERA_CLASS_BASE + 1;
    public const uint V4L2_CID_EXPOSURE_ABSOLUTE = V4L2_CID_CAMERA_CLASS_BASE + 2;
    public const uint V4L2_CID_PAN_ABSOLUTE = V4L2_CID_CAMERA_CLASS_BASE + 8;
    public const uint V4L2_CID_TILT_ABSOLUTE = V4L2_CID_CAMERA_CLASS_BASE + 9;
    public const uint V4L2_CID_FOCUS_ABSOLUTE = V4L2_CID_CAMERA_CLASS_BASE + 10;
    public const uint V4L2_CID_FOCUS_AUTO = V4L2_CID_CAMERA_CLASS_BASE + 12;
    public const uint V4L2_CID_ZOOM_ABSOLUTE = V4L2_CID_CAMERA_CLASS_BASE + 13;
    public const uint V4L2_CID_IRIS_ABSOLUTE = V4L2_CID_CAMERA_CLASS_BASE + 17;
    /// <summary>V4L2_EXPOSURE_MANUAL and V4L2_EXPOSURE_APERTURE_PRIORITY (what UVC cameras call "auto").</summary>
    public const int V4L2_EXPOSURE_AUTO_MODE = 0, V4L2_EXPOSURE_MANUAL = 1, V4L2_EXPOSURE_APERTURE_PRIORITY = 3;

    [StructLayout(LayoutKind.Sequential)]
    public struct V4l2Capability
    {
        public fixed byte Driver[16];
        public fixed byte Card[32];
        public fixed byte BusInfo[32];
        public uint Version;
        public uint Capabilities;
        public uint DeviceCaps;
        public fixed uint Reserved[3];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct V4l2FmtDesc
    {
        public uint Index;
        public uint Type;
        public uint Flags;
        public fixed byte Description[32];
        public uint PixelFormat;
        public uint MbusCode;
        public fixed uint Reserved[3];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct V4l2PixFormat
    {
        public uint Width;
        public uint Height;
        public uint PixelFormat;
        public uint Field;
        public uint BytesPerLine;
        public uint SizeImage;
        public uint Colorspace;
        public uint Priv;
        public uint Flags;
        public uint YcbcrEnc;
        public uint Quantization;
        public uint XferFunc;
    }

    /// <summary>struct v4l2_format: the union is 200 bytes and 8-aligned (v4l2_window holds pointers).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 208)]
    public struct V4l2Format
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(8)] public V4l2PixFormat Pix;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct V4l2FrmSizeEnum
    {
        public uint Index;
        public uint PixelFormat;
        public uint Type;
        // discrete: Width, Height; stepwise: min_width, max_width, step_width, min_height, max_height, step_height
        public fixed uint Size[6];
        public fixed uint Reserved[2];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct V4l2RequestBuffers
    {
        public uint Count;
        public uint Type;
        public uint Memory;
        public uint Capabilities;
        public byte Flags;
        public fixed byte Reserved[3];
    }

    [StructLayout(LayoutKind.Explicit, Size = 88)]
    public struct V4l2Buffer
    {
        [FieldOffset(0)] public uint Index;
        [FieldOffset(4)] public uint Type;
        [FieldOffset(8)] public uint BytesUsed;
        [FieldOffset(12)] public uint Flags;
        [FieldOffset(16)] public uint Field;
        [FieldOffset(24)] public long TimestampSec;
        [FieldOffset(32)] public long TimestampUsec;
        [FieldOffset(56)] public uint Sequence;
        [FieldOffset(60)] public uint Memory;
        /// <summary>m.offset for MMAP buffers (the union is 8 bytes wide).</summary>
        [FieldOffset(64)] public uint Offset;
        [FieldOffset(72)] public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct V4l2QueryCtrl
    {
        public uint Id;
        public uint Type;
        public fixed byte Name[32];
        public int Minimum;
        public int Maximum;
        public int Step;
        public int DefaultValue;
        public uint Flags;
        public fixed uint Reserved[2];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct V4l2Control
    {
        public uint Id;
        public int Value;
    }

    /// <summary>struct v4l2_streamparm for capture: type, then v4l2_captureparm inside a 200-byte union.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 204)]
    public struct V4l2StreamParm
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(4)] public uint Capability;
        [FieldOffset(8)] public uint CaptureMode;
        [FieldOffset(12)] public uint TimePerFrameNumerator;
        [FieldOffset(16)] public uint TimePerFrameDenominator;
        [FieldOffset(20)] public uint ExtendedMode;
        [FieldOffset(24)] public uint ReadBuffers;
    }

    public static string FixedString(byte* bytes, int max)
    {
        var n = 0;
        while (n < max && bytes[n] != 0) n++;
        return System.Text.Encoding.UTF8.GetString(bytes, n);
    }
}
