using System.Buffers.Binary;

namespace Appliance.Devices.Pen;

/// <summary>
/// Linux <c>struct input_event</c> in its 64-bit layout (24 bytes: tv_sec, tv_usec as 64-bit, then type, code, value).
/// Both arm64 and x86-64 terminals use this layout; the sim board's pen pipe carries the same records.
/// </summary>
public readonly record struct InputEvent(long Seconds, long Microseconds, ushort Type, ushort Code, int Value)
{
    public const int Size = 24;

    public long TimestampMicroseconds => Seconds * 1_000_000 + Microseconds;

    public static InputEvent Read(ReadOnlySpan<byte> record) => new(
        BinaryPrimitives.ReadInt64LittleEndian(record),
        BinaryPrimitives.ReadInt64LittleEndian(record[8..]),
        BinaryPrimitives.ReadUInt16LittleEndian(record[16..]),
        BinaryPrimitives.ReadUInt16LittleEndian(record[18..]),
        BinaryPrimitives.ReadInt32LittleEndian(record[20..]));

    public void Write(Span<byte> record)
    {
        BinaryPrimitives.WriteInt64LittleEndian(record, Seconds);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], Microseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(record[16..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(record[18..], Code);
        BinaryPrimitives.WriteInt32LittleEndian(record[20..], Value);
    }

    public static InputEvent At(long timestampMicroseconds, ushort type, ushort code, int value) =>
        new(timestampMicroseconds / 1_000_000, timestampMicroseconds % 1_000_000, type, code, value);
}

/// <summary>The event types and codes the pen and the keyboard-wedge stripe reader use (linux/input-event-codes.h).</summary>
public static class InputCodes
{
    public const ushort EV_SYN = 0x00, EV_KEY = 0x01, EV_ABS = 0x03, EV_MSC = 0x04;

    public const ushort SYN_REPORT = 0, SYN_CONFIG = 1, SYN_MT_REPORT = 2, SYN_DROPPED = 3;

    public const ushort ABS_X = 0x00, ABS_Y = 0x01, ABS_PRESSURE = 0x18, ABS_DISTANCE = 0x19, ABS_TILT_X = 0x1a, ABS_TILT_Y = 0x1b;
    public const ushort ABS_MT_POSITION_X = 0x35, ABS_MT_POSITION_Y = 0x36, ABS_MT_PRESSURE = 0x3a;
    public const ushort ABS_CNT = 0x40;

    public const ushort BTN_TOOL_PEN = 0x140, BTN_TOOL_RUBBER = 0x141, BTN_TOUCH = 0x14a, BTN_STYLUS = 0x14b, BTN_STYLUS2 = 0x14c;
    public const ushort KEY_CNT = 0x300;

    /// <summary>Keys a keyboard-wedge reader uses besides the characters (those are in MagStripe/UsKeyboardLayout).</summary>
    public const ushort KEY_ENTER = 28, KEY_LEFTSHIFT = 42, KEY_RIGHTSHIFT = 54, KEY_KPENTER = 96;
}
