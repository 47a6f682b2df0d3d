using System.Text;
using Appliance.Devices.Gpio;
using Appliance.Devices.Interop;

namespace Appliance.Simulators.Gpio;

/// <summary>One line as the chip sees it: its level, how often it changed and rose (a buzzer's beeps), who holds it.</summary>
public sealed record SimulatedGpioLine(int Offset, bool Value, int Changes, int Rises, string? Consumer);

/// <summary>
/// The sim board's GPIO chip, modelled at the character device's ioctl boundary: it answers GPIO_GET_CHIPINFO,
/// GPIO_V2_GET_LINE and the v2 line value ioctls (or, as a kernel before 5.10 would, only the v1 handle ioctls)
/// with the kernel's structs and errnos: EINVAL for a line beyond the chip or non-zero padding, EBUSY for a line
/// another request holds. <see cref="RequestOutputs"/> runs the real <see cref="GpioLineRequest"/> driver against
/// it, the way opening /dev/gpiochipN would. Line levels persist after a request is released, as on hardware.
/// </summary>
public sealed class SimulatedGpioChip
{
    private const int EBADF = 9;
    private readonly Lock _gate = new();
    private readonly LineState[] _lines;
    private readonly Dictionary<int, Request> _requests = [];
    private readonly List<string> _calls = [];
    private int _nextFd = 100;
    private bool _vanished;

    /// <param name="uapiVersion">2 (Linux 5.10 on), or 1 for an old kernel that answers EINVAL to every v2 ioctl.</param>
    public SimulatedGpioChip(string name = "gpiochip0", string label = "appliance-sim-gpio", int lineCount = 8, int uapiVersion = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lineCount);
        Name = name;
        Label = label;
        UapiVersion = uapiVersion;
        _lines = [.. Enumerable.Range(0, lineCount).Select(_ => new LineState())];
    }

    public string Name { get; }
    public string Label { get; }
    public int LineCount => _lines.Length;
    public int UapiVersion { get; }

    /// <summary>Where the driver's messages and /health say the chip is.</summary>
    public string Path => $"sim:{Name}";

    /// <summary>Requests output lines through the real driver, as <c>GpioLineRequest.Open("/dev/gpiochipN", …)</c> does on a board.</summary>
    /// <exception cref="GpioException">As the real chip would refuse: a line beyond the chip, a line in use.</exception>
    public GpioLineRequest RequestOutputs(IReadOnlyList<GpioOutputLine> lines, string consumer) =>
        GpioLineRequest.Open(new ChipFd(this), lines, consumer);

    /// <summary>The chip's driver went away (a removed USB GPIO expander, an unbound driver): every later ioctl fails with ENODEV.</summary>
    public void Vanish()
    {
        lock (_gate) _vanished = true;
    }

    public SimulatedGpioLine Line(int offset)
    {
        lock (_gate) return Snapshot(offset);
    }

    public IReadOnlyList<SimulatedGpioLine> Lines
    {
        get { lock (_gate) return [.. Enumerable.Range(0, _lines.Length).Select(Snapshot)]; }
    }

    /// <summary>Every ioctl asked of the chip and its requests, by name, in order (what the tests read back).</summary>
    public IReadOnlyList<string> Calls
    {
        get { lock (_gate) return [.. _calls]; }
    }

    private SimulatedGpioLine Snapshot(int offset)
    {
        var line = _lines[offset];
        return new SimulatedGpioLine(offset, line.Value, line.Changes, line.Rises, line.Consumer);
    }

    private unsafe int ChipIoctl(ChipFd owner, nuint request, void* argument)
    {
        lock (_gate)
        {
            if (owner.Closed) return EBADF;
            if (_vanished) return Called("chip ioctl after the chip vanished", Libc.ENODEV);
            if (request == Libc.GPIO_GET_CHIPINFO_IOCTL) return Called("CHIPINFO", ChipInfo((Libc.GpioChipInfo*)argument));
            if (request == Libc.GPIO_V2_GET_LINE_IOCTL)
                return Called("V2_GET_LINE", UapiVersion < 2 ? Libc.EINVAL : GetLineV2(owner, (Libc.GpioV2LineRequest*)argument));
            if (request == Libc.GPIO_GET_LINEHANDLE_IOCTL) return Called("V1_GET_LINEHANDLE", GetLineHandle(owner, (Libc.GpioHandleRequest*)argument));
            return Called($"0x{request:x}", Libc.EINVAL);
        }
    }

    private unsafe int LineIoctl(ChipFd owner, int fd, nuint request, void* argument)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(fd, out var held) || held.Owner != owner) return Called("line ioctl on a bad fd", EBADF);
            if (_vanished) return Called("line ioctl after the chip vanished", Libc.ENODEV);
            if (request == Libc.GPIO_V2_LINE_SET_VALUES_IOCTL && held.Version == 2) return Called("V2_SET_VALUES", SetValuesV2(held, (Libc.GpioV2LineValues*)argument));
            if (request == Libc.GPIO_V2_LINE_GET_VALUES_IOCTL && held.Version == 2) return Called("V2_GET_VALUES", GetValuesV2(held, (Libc.GpioV2LineValues*)argument));
            if (request == Libc.GPIOHANDLE_SET_LINE_VALUES_IOCTL && held.Version == 1) return Called("V1_SET_VALUES", SetValuesV1(held, (Libc.GpioHandleData*)argument));
            if (request == Libc.GPIOHANDLE_GET_LINE_VALUES_IOCTL && held.Version == 1) return Called("V1_GET_VALUES", GetValuesV1(held, (Libc.GpioHandleData*)argument));
            return Called($"0x{request:x}", Libc.ENOTTY);
        }
    }

    private int Called(string name, int errno)
    {
        _calls.Add(errno == 0 ? name : $"{name}: errno {errno}");
        return errno;
    }

    private unsafe int ChipInfo(Libc.GpioChipInfo* info)
    {
        *info = default;
        WriteText(info->Name, Name);
        WriteText(info->Label, Label);
        info->Lines = (uint)_lines.Length;
        return 0;
    }

    private unsafe int GetLineV2(ChipFd owner, Libc.GpioV2LineRequest* request)
    {
        var count = request->NumLines;
        if (count is 0 or > Libc.GPIO_V2_LINES_MAX) return Libc.EINVAL;
        for (var i = 0; i < 5; i++)
            if (request->Padding[i] != 0 || request->Config.Padding[i] != 0) return Libc.EINVAL;
        var config = request->Config;
        if (config.NumAttrs > Libc.GPIO_V2_LINE_NUM_ATTRS_MAX) return Libc.EINVAL;
        const ulong both = Libc.GPIO_V2_LINE_FLAG_INPUT | Libc.GPIO_V2_LINE_FLAG_OUTPUT;
        if ((config.Flags & both) == both) return Libc.EINVAL;
        var offsets = new int[count];
        for (var i = 0; i < count; i++) offsets[i] = (int)request->Offsets[i];
        if (Refuse(offsets) is var refused and not 0) return refused;

        var output = (config.Flags & Libc.GPIO_V2_LINE_FLAG_OUTPUT) != 0;
        var held = Hold(owner, offsets, version: 2, Text(request->Consumer));
        if (output)
        {
            // Lines named by an OUTPUT_VALUES attribute take its bits; the others start inactive.
            var initial = 0UL;
            var covered = 0UL;
            for (var a = 0; a < config.NumAttrs; a++)
            {
                var attr = config.Attrs[a];
                if (attr.Attr.Id != Libc.GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES) continue;
                var fresh = attr.Mask & ~covered;
                initial |= attr.Attr.Value & fresh;
                covered |= fresh;
            }
            for (var i = 0; i < offsets.Length; i++) Set(offsets[i], (initial >> i & 1) != 0);
        }
        request->Fd = held;
        return 0;
    }

    private unsafe int GetLineHandle(ChipFd owner, Libc.GpioHandleRequest* request)
    {
        var count = request->Lines;
        if (count is 0 or > Libc.GPIOHANDLES_MAX) return Libc.EINVAL;
        var offsets = new int[count];
        for (var i = 0; i < count; i++) offsets[i] = (int)request->LineOffsets[i];
        if (Refuse(offsets) is var refused and not 0) return refused;
        var held = Hold(owner, offsets, version: 1, Text(request->ConsumerLabel));
        if ((request->Flags & Libc.GPIOHANDLE_REQUEST_OUTPUT) != 0)
            for (var i = 0; i < offsets.Length; i++) Set(offsets[i], request->DefaultValues[i] != 0);
        request->Fd = held;
        return 0;
    }

    /// <summary>What the kernel says to a request before granting it: EINVAL beyond the chip, EBUSY for a held (or twice-named) line.</summary>
    private int Refuse(int[] offsets)
    {
        if (offsets.Any(o => o < 0 || o >= _lines.Length)) return Libc.EINVAL;
        if (offsets.Distinct().Count() != offsets.Length || offsets.Any(o => _lines[o].Consumer is not null)) return Libc.EBUSY;
        return 0;
    }

    private int Hold(ChipFd owner, int[] offsets, int version, string consumer)
    {
        var fd = _nextFd++;
        _requests[fd] = new Request(owner, offsets, version);
        foreach (var offset in offsets) _lines[offset].Consumer = consumer;
        return fd;
    }

    private unsafe int SetValuesV2(Request held, Libc.GpioV2LineValues* values)
    {
        if (values->Mask == 0) return Libc.EINVAL;
        for (var i = 0; i < held.Offsets.Length; i++)
            if ((values->Mask >> i & 1) != 0) Set(held.Offsets[i], (values->Bits >> i & 1) != 0);
        return 0;
    }

    private unsafe int GetValuesV2(Request held, Libc.GpioV2LineValues* values)
    {
        var bits = 0UL;
        for (var i = 0; i < held.Offsets.Length; i++)
            if ((values->Mask >> i & 1) != 0 && _lines[held.Offsets[i]].Value) bits |= 1UL << i;
        values->Bits = bits;
        return 0;
    }

    private unsafe int SetValuesV1(Request held, Libc.GpioHandleData* data)
    {
        for (var i = 0; i < held.Offsets.Length; i++) Set(held.Offsets[i], data->Values[i] != 0);
        return 0;
    }

    private unsafe int GetValuesV1(Request held, Libc.GpioHandleData* data)
    {
        *data = default;
        for (var i = 0; i < held.Offsets.Length; i++) data->Values[i] = _lines[held.Offsets[i]].Value ? (byte)1 : (byte)0;
        return 0;
    }

    private void Set(int offset, bool value)
    {
        var line = _lines[offset];
        if (line.Value == value) return;
        line.Value = value;
        line.Changes++;
        if (value) line.Rises++;
    }

    private void Release(ChipFd owner, int fd)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(fd, out var held) || held.Owner != owner) return;
            _requests.Remove(fd);
            foreach (var offset in held.Offsets) _lines[offset].Consumer = null;
        }
    }

    private void ReleaseAll(ChipFd owner)
    {
        lock (_gate)
        {
            owner.Closed = true;
            foreach (var fd in _requests.Where(r => r.Value.Owner == owner).Select(r => r.Key).ToList())
                Release(owner, fd);
        }
    }

    private static unsafe void WriteText(byte* target, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var n = Math.Min(bytes.Length, Libc.GPIO_MAX_NAME_SIZE - 1);
        for (var i = 0; i < n; i++) target[i] = bytes[i];
        target[n] = 0;
    }

    private static unsafe string Text(byte* field)
    {
        var span = new ReadOnlySpan<byte>(field, Libc.GPIO_MAX_NAME_SIZE);
        var end = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
    }

    private sealed class LineState
    {
        public bool Value;
        public int Changes;
        public int Rises;
        public string? Consumer;
    }

    private sealed record Request(ChipFd Owner, int[] Offsets, int Version);

    /// <summary>One open of the chip node; closing it (as a process exit would) releases every line it still holds.</summary>
    private sealed unsafe class ChipFd(SimulatedGpioChip chip) : IGpioChipDevice
    {
        public bool Closed;
        public string Path => chip.Path;
        public int ChipIoctl(nuint request, void* argument) => chip.ChipIoctl(this, request, argument);
        public int LineIoctl(int lineFd, nuint request, void* argument) => chip.LineIoctl(this, lineFd, request, argument);
        public void CloseLine(int lineFd) => chip.Release(this, lineFd);
        public void Dispose() => chip.ReleaseAll(this);
    }
}
