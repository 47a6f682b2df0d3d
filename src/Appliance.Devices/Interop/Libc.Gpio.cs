using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>
/// The GPIO character device (linux/gpio.h): uAPI v2 (Linux 5.10 on) for line requests and values, and the
/// deprecated v1 handle ioctls that kernels before 5.10 (vendor BSP 4.19 kernels) still only have. Layouts are
/// the kernel's, identical on x86-64 and arm64; sizes are asserted by the tests because they are encoded in the numbers.
/// </summary>
internal static unsafe partial class Libc
{
    private const uint GpioType = 0xB4;
    public const int GPIO_MAX_NAME_SIZE = 32;
    public const int GPIO_V2_LINES_MAX = 64;
    public const int GPIO_V2_LINE_NUM_ATTRS_MAX = 10;
    public const int GPIOHANDLES_MAX = 64;

    public const ulong GPIO_V2_LINE_FLAG_INPUT = 1UL << 2;
    public const ulong GPIO_V2_LINE_FLAG_OUTPUT = 1UL << 3;
    public const uint GPIO_V2_LINE_ATTR_ID_FLAGS = 1;
    public const uint GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES = 2;
    public const uint GPIOHANDLE_REQUEST_INPUT = 1u << 0;
    public const uint GPIOHANDLE_REQUEST_OUTPUT = 1u << 1;

    public static readonly nuint GPIO_GET_CHIPINFO_IOCTL = IoR(GpioType, 0x01, (uint)sizeof(GpioChipInfo));
    public static readonly nuint GPIO_V2_GET_LINE_IOCTL = IoWR(GpioType, 0x07, (uint)sizeof(GpioV2LineRequest));
    public static readonly nuint GPIO_V2_LINE_GET_VALUES_IOCTL = IoWR(GpioType, 0x0E, (uint)sizeof(GpioV2LineValues));
    public static readonly nuint GPIO_V2_LINE_SET_VALUES_IOCTL = IoWR(GpioType, 0x0F, (uint)sizeof(GpioV2LineValues));
    public static readonly nuint GPIO_GET_LINEHANDLE_IOCTL = IoWR(GpioType, 0x03, (uint)sizeof(GpioHandleRequest));
    public static readonly nuint GPIOHANDLE_GET_LINE_VALUES_IOCTL = IoWR(GpioType, 0x08, (uint)sizeof(GpioHandleData));
    public static readonly nuint GPIOHANDLE_SET_LINE_VALUES_IOCTL = IoWR(GpioType, 0x09, (uint)sizeof(GpioHandleData));

    /// <summary>struct gpiochip_info: the chip's kernel name, its label and how many lines it has.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioChipInfo
    {
        public fixed byte Name[GPIO_MAX_NAME_SIZE];
        public fixed byte Label[GPIO_MAX_NAME_SIZE];
        public uint Lines;
    }

    /// <summary>struct gpio_v2_line_values: bit i is line <c>offsets[i]</c> of the request; only the bits in Mask count.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioV2LineValues
    {
        public ulong Bits;
        public ulong Mask;
    }

    /// <summary>struct gpio_v2_line_attribute: Id says which member of the union (flags, values, debounce) Value is.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioV2LineAttribute
    {
        public uint Id;
        public uint Padding;
        public ulong Value;
    }

    /// <summary>struct gpio_v2_line_config_attribute: an attribute and the request's lines (bitmap) it applies to.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioV2LineConfigAttribute
    {
        public GpioV2LineAttribute Attr;
        public ulong Mask;
    }

    [InlineArray(GPIO_V2_LINE_NUM_ATTRS_MAX)]
    public struct GpioV2LineConfigAttributes
    {
        private GpioV2LineConfigAttribute _first;
    }

    /// <summary>struct gpio_v2_line_config: default flags for every line, overridden per line by Attrs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioV2LineConfig
    {
        public ulong Flags;
        public uint NumAttrs;
        public fixed uint Padding[5];
        public GpioV2LineConfigAttributes Attrs;
    }

    /// <summary>struct gpio_v2_line_request: GPIO_V2_GET_LINE_IOCTL on the chip fills Fd with the request's own fd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioV2LineRequest
    {
        public fixed uint Offsets[GPIO_V2_LINES_MAX];
        public fixed byte Consumer[GPIO_MAX_NAME_SIZE];
        public GpioV2LineConfig Config;
        public uint NumLines;
        public uint EventBufferSize;
        public fixed uint Padding[5];
        public int Fd;
    }

    /// <summary>struct gpiohandle_request (uAPI v1, deprecated): one set of flags for every line.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioHandleRequest
    {
        public fixed uint LineOffsets[GPIOHANDLES_MAX];
        public uint Flags;
        public fixed byte DefaultValues[GPIOHANDLES_MAX];
        public fixed byte ConsumerLabel[GPIO_MAX_NAME_SIZE];
        public uint Lines;
        public int Fd;
    }

    /// <summary>struct gpiohandle_data (uAPI v1): one byte per line of the handle, all written at once.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GpioHandleData
    {
        public fixed byte Values[GPIOHANDLES_MAX];
    }
}
