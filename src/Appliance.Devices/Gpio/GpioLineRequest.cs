using System.Text;
using Appliance.Devices.Interop;

namespace Appliance.Devices.Gpio;

/// <summary>
/// Output lines of a Linux GPIO chip, requested through the character device (<c>/dev/gpiochipN</c>) with the
/// kernel's uAPI v2 (GPIO_V2_GET_LINE_IOCTL, then GPIO_V2_LINE_SET_VALUES_IOCTL on the request's fd). A kernel
/// older than 5.10 has no v2 and answers EINVAL: then the deprecated v1 handle ioctls are used instead. No
/// libgpiod is needed. Owns the chip fd and the request fd; disposing releases the lines.
/// </summary>
public sealed unsafe class GpioLineRequest : IGpioLines
{
    private readonly Lock _gate = new();
    private readonly IGpioChipDevice _chip;
    private readonly int _lineFd;
    private readonly int[] _offsets;
    // The last value written to each line: uAPI v1 can only write every line of a handle at once.
    private readonly bool[] _values;
    private bool _disposed;

    private GpioLineRequest(IGpioChipDevice chip, int lineFd, int[] offsets, bool[] values, int uapiVersion, string detail)
    {
        _chip = chip;
        _lineFd = lineFd;
        _offsets = offsets;
        _values = values;
        UapiVersion = uapiVersion;
        Detail = detail;
    }

    public string Location => _chip.Path;
    public string Detail { get; }
    public IReadOnlyList<int> Offsets => _offsets;

    /// <summary>2 for the v2 line request; 1 on a kernel that only has the v1 handle ioctls.</summary>
    public int UapiVersion { get; }

    /// <summary>Requests <paramref name="lines"/> of <paramref name="chipPath"/> as outputs, labelled <paramref name="consumer"/> (what <c>gpioinfo</c> shows).</summary>
    /// <exception cref="GpioException">Absent node (<see cref="GpioException.IsAbsent"/>), not a GPIO chip, a line beyond the chip, a line in use.</exception>
    public static GpioLineRequest Open(string chipPath, IReadOnlyList<GpioOutputLine> lines, string consumer) =>
        Open(LinuxGpioChipDevice.Open(chipPath), lines, consumer);

    /// <summary>The same against any chip behind the ioctl boundary; takes ownership of <paramref name="chip"/>, also on failure.</summary>
    internal static GpioLineRequest Open(IGpioChipDevice chip, IReadOnlyList<GpioOutputLine> lines, string consumer)
    {
        try
        {
            Validate(chip.Path, lines);
            var info = default(Libc.GpioChipInfo);
            var errno = chip.ChipIoctl(Libc.GPIO_GET_CHIPINFO_IOCTL, &info);
            if (errno != 0)
                throw new GpioException(DeviceErrorKind.Failed, errno is Libc.ENOTTY or Libc.EINVAL
                    ? $"{chip.Path} is not a GPIO character device (GPIO_GET_CHIPINFO_IOCTL: {Libc.StrError(errno)})"
                    : $"GPIO_GET_CHIPINFO_IOCTL on {chip.Path}: {Libc.StrError(errno)}");
            var name = Text(info.Name, Libc.GPIO_MAX_NAME_SIZE);
            var label = Text(info.Label, Libc.GPIO_MAX_NAME_SIZE);
            foreach (var line in lines)
                if (line.Offset >= info.Lines)
                    throw new GpioException(DeviceErrorKind.BadRequest,
                        $"line {line.Offset} is beyond {chip.Path}: {name} \"{label}\" has {info.Lines} lines (0..{(long)info.Lines - 1})");

            var version = 2;
            errno = RequestV2(chip, lines, consumer, out var lineFd);
            if (errno is Libc.EINVAL or Libc.ENOTTY)
            {
                // A kernel before 5.10 does not know the v2 ioctl. If v1 is refused for a reason (EBUSY…), that reason
                // is the one to report; if v1 is unknown too (CONFIG_GPIO_CDEV_V1=n), v2's answer stands.
                var v1 = RequestV1(chip, lines, consumer, out lineFd);
                if (v1 == 0) (errno, version) = (0, 1);
                else if (v1 is not (Libc.EINVAL or Libc.ENOTTY)) errno = v1;
            }
            if (errno != 0)
            {
                var which = string.Join(", ", lines.Select(l => l.Offset));
                throw new GpioException(DeviceErrorKind.Failed, errno == Libc.EBUSY
                    ? $"lines {which} of {chip.Path}: one is already in use by another consumer ({Libc.StrError(errno)}); `gpioinfo {name}` names it"
                    : $"requesting lines {which} of {chip.Path}: {Libc.StrError(errno)}");
            }
            var detail = $"{name} \"{label}\", {info.Lines} lines, uAPI v{version}";
            return new GpioLineRequest(chip, lineFd, [.. lines.Select(l => l.Offset)], [.. lines.Select(l => l.InitialValue)], version, detail);
        }
        catch
        {
            chip.Dispose();
            throw;
        }
    }

    public void Write(int offset, bool value)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var index = Array.IndexOf(_offsets, offset);
            if (index < 0)
                throw new GpioException(DeviceErrorKind.BadRequest, $"line {offset} of {Location} is not requested (requested: {string.Join(", ", _offsets)})");
            var previous = _values[index];
            _values[index] = value;
            int errno;
            if (UapiVersion == 2)
            {
                var values = new Libc.GpioV2LineValues { Bits = value ? 1UL << index : 0, Mask = 1UL << index };
                errno = _chip.LineIoctl(_lineFd, Libc.GPIO_V2_LINE_SET_VALUES_IOCTL, &values);
            }
            else
            {
                var data = default(Libc.GpioHandleData);
                for (var i = 0; i < _values.Length; i++) data.Values[i] = _values[i] ? (byte)1 : (byte)0;
                errno = _chip.LineIoctl(_lineFd, Libc.GPIOHANDLE_SET_LINE_VALUES_IOCTL, &data);
            }
            if (errno == 0) return;
            _values[index] = previous;
            throw new GpioException(errno is Libc.ENODEV or Libc.EIO ? DeviceErrorKind.Disconnected : DeviceErrorKind.Failed,
                $"setting line {offset} of {Location} to {(value ? 1 : 0)}: {Libc.StrError(errno)}");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _chip.CloseLine(_lineFd);
            _chip.Dispose();
        }
    }

    private static void Validate(string path, IReadOnlyList<GpioOutputLine> lines)
    {
        if (lines.Count is 0 or > Libc.GPIO_V2_LINES_MAX)
            throw new GpioException(DeviceErrorKind.BadRequest, $"{path}: expected 1..{Libc.GPIO_V2_LINES_MAX} lines to request, got {lines.Count}");
        var seen = new HashSet<int>();
        foreach (var line in lines)
        {
            if (line.Offset < 0) throw new GpioException(DeviceErrorKind.BadRequest, $"{path}: line offsets are >= 0, got {line.Offset}");
            if (!seen.Add(line.Offset)) throw new GpioException(DeviceErrorKind.BadRequest, $"{path}: line {line.Offset} is requested twice");
        }
    }

    private static int RequestV2(IGpioChipDevice chip, IReadOnlyList<GpioOutputLine> lines, string consumer, out int lineFd)
    {
        // Zeroed as a whole: the kernel refuses a request whose padding is not zero.
        var request = default(Libc.GpioV2LineRequest);
        ulong initial = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            request.Offsets[i] = (uint)lines[i].Offset;
            if (lines[i].InitialValue) initial |= 1UL << i;
        }
        CopyLabel(consumer, request.Consumer);
        request.NumLines = (uint)lines.Count;
        request.Config.Flags = Libc.GPIO_V2_LINE_FLAG_OUTPUT;
        request.Config.NumAttrs = 1;
        request.Config.Attrs[0] = new Libc.GpioV2LineConfigAttribute
        {
            Attr = new Libc.GpioV2LineAttribute { Id = Libc.GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, Value = initial },
            Mask = lines.Count == 64 ? ulong.MaxValue : (1UL << lines.Count) - 1,
        };
        var errno = chip.ChipIoctl(Libc.GPIO_V2_GET_LINE_IOCTL, &request);
        lineFd = errno == 0 ? request.Fd : -1;
        return errno;
    }

    private static int RequestV1(IGpioChipDevice chip, IReadOnlyList<GpioOutputLine> lines, string consumer, out int lineFd)
    {
        var request = default(Libc.GpioHandleRequest);
        for (var i = 0; i < lines.Count; i++)
        {
            request.LineOffsets[i] = (uint)lines[i].Offset;
            request.DefaultValues[i] = lines[i].InitialValue ? (byte)1 : (byte)0;
        }
        CopyLabel(consumer, request.ConsumerLabel);
        request.Flags = Libc.GPIOHANDLE_REQUEST_OUTPUT;
        request.Lines = (uint)lines.Count;
        var errno = chip.ChipIoctl(Libc.GPIO_GET_LINEHANDLE_IOCTL, &request);
        lineFd = errno == 0 ? request.Fd : -1;
        return errno;
    }

    /// <summary>ASCII, NUL-terminated, cut to fit the kernel's 32-byte label.</summary>
    private static void CopyLabel(string label, byte* destination)
    {
        var bytes = Encoding.ASCII.GetBytes(label);
        var length = Math.Min(bytes.Length, Libc.GPIO_MAX_NAME_SIZE - 1);
        for (var i = 0; i < length; i++) destination[i] = bytes[i];
        destination[length] = 0;
    }

    private static string Text(byte* field, int size)
    {
        var span = new ReadOnlySpan<byte>(field, size);
        var end = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
    }
}
