using System.Runtime.InteropServices;
using Appliance.Devices.Camera;
using Appliance.Devices.Interop;

namespace Appliance.Simulators.Camera;

/// <summary>A control the model offers: QUERYCTRL answers from here, S_CTRL writes <see cref="Value"/>.</summary>
public sealed class ModelControl(uint id, string name, int minimum, int maximum, int step, int defaultValue, uint type = 1)
{
    public uint Id { get; } = id;
    public string Name { get; } = name;
    public int Minimum { get; } = minimum;
    public int Maximum { get; } = maximum;
    public int Step { get; } = step;
    public int Default { get; } = defaultValue;
    public uint Type { get; } = type;
    public int Value { get; set; } = defaultValue;
}

/// <summary>
/// A V4L2 capture node modelled at the ioctl boundary: it answers QUERYCAP, ENUM_FMT, ENUM_FRAMESIZES,
/// S_FMT/G_FMT, S_PARM, REQBUFS, QUERYBUF, mmap, QBUF/DQBUF, STREAMON/STREAMOFF and the control ioctls
/// with the kernel's structs and errnos, and fills queued buffers from a frame source at the frame rate.
/// The real <see cref="V4l2Camera"/> runs against it unchanged. <see cref="Vanish"/> behaves like an
/// unplugged USB camera: every later ioctl fails with ENODEV and poll reports POLLERR. A YUYV mode's frames
/// are whatever the source gives (the scene's <see cref="CameraScene.RenderYuyv"/> for the sim cameras), announced
/// in S_FMT/G_FMT as BT.601 limited range.
/// </summary>
internal sealed unsafe class V4l2DeviceModel : IV4l2Device
{
    private const int EBUSY = 16, ERANGE = 34;
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<CameraMode> _modes;
    private readonly Func<CameraMode, long, byte[]> _frameSource;
    private readonly IReadOnlyList<ModelControl> _controls;
    private readonly TimeProvider _time;
    private readonly ManualResetEventSlim _vanished = new();
    private readonly Queue<uint> _queued = new();
    private readonly Queue<uint> _done = new();
    private (nint Address, uint Length, uint BytesUsed, uint Sequence)[] _buffers = [];
    private CameraMode _mode;
    private bool _streaming;
    private long _sequence;
    private int _framesPerSecond = 30;
    private long _nextFrameAt;

    public V4l2DeviceModel(string path, string card, IReadOnlyList<CameraMode> modes, Func<CameraMode, long, byte[]> frameSource,
        IReadOnlyList<ModelControl>? controls = null, TimeProvider? time = null)
    {
        Path = path;
        Card = card;
        _modes = modes;
        _frameSource = frameSource;
        _controls = controls ?? [];
        _time = time ?? TimeProvider.System;
        _mode = modes[0];
    }

    public string Path { get; }
    public string Card { get; }

    /// <summary>Every ioctl asked of the device, by name, in order (what the tests read back).</summary>
    public List<string> Calls { get; } = [];

    public bool IsStreaming { get { lock (_gate) return _streaming; } }
    public int BufferCount { get { lock (_gate) return _buffers.Length; } }
    public int FramesPerSecond { get { lock (_gate) return _framesPerSecond; } }
    public bool IsDisposed { get; private set; }

    /// <summary>Unplugs the camera: waiters wake with an error, every later call fails with ENODEV.</summary>
    public void Vanish() => _vanished.Set();

    public int Ioctl(nuint request, void* argument)
    {
        lock (_gate)
        {
            var name = NameOf(request);
            Calls.Add(name);
            if (_vanished.IsSet) return Libc.ENODEV;
            return name switch
            {
                "QUERYCAP" => QueryCap((Libc.V4l2Capability*)argument),
                "ENUM_FMT" => EnumFormat((Libc.V4l2FmtDesc*)argument),
                "ENUM_FRAMESIZES" => EnumSizes((Libc.V4l2FrmSizeEnum*)argument),
                "S_FMT" => SetFormat((Libc.V4l2Format*)argument),
                "G_FMT" => GetFormat((Libc.V4l2Format*)argument),
                "S_PARM" => SetParm((Libc.V4l2StreamParm*)argument),
                "REQBUFS" => RequestBuffers((Libc.V4l2RequestBuffers*)argument),
                "QUERYBUF" => QueryBuffer((Libc.V4l2Buffer*)argument),
                "QBUF" => Queue((Libc.V4l2Buffer*)argument),
                "DQBUF" => Dequeue((Libc.V4l2Buffer*)argument),
                "STREAMON" => StreamOn(),
                "STREAMOFF" => StreamOff(),
                "QUERYCTRL" => QueryControl((Libc.V4l2QueryCtrl*)argument),
                "G_CTRL" => GetControl((Libc.V4l2Control*)argument),
                "S_CTRL" => SetControl((Libc.V4l2Control*)argument),
                _ => Libc.EINVAL,
            };
        }
    }

    private static string NameOf(nuint request) =>
        request == Libc.VIDIOC_QUERYCAP ? "QUERYCAP" : request == Libc.VIDIOC_ENUM_FMT ? "ENUM_FMT" :
        request == Libc.VIDIOC_ENUM_FRAMESIZES ? "ENUM_FRAMESIZES" : request == Libc.VIDIOC_S_FMT ? "S_FMT" :
        request == Libc.VIDIOC_G_FMT ? "G_FMT" : request == Libc.VIDIOC_S_PARM ? "S_PARM" :
        request == Libc.VIDIOC_REQBUFS ? "REQBUFS" : request == Libc.VIDIOC_QUERYBUF ? "QUERYBUF" :
        request == Libc.VIDIOC_QBUF ? "QBUF" : request == Libc.VIDIOC_DQBUF ? "DQBUF" :
        request == Libc.VIDIOC_STREAMON ? "STREAMON" : request == Libc.VIDIOC_STREAMOFF ? "STREAMOFF" :
        request == Libc.VIDIOC_QUERYCTRL ? "QUERYCTRL" : request == Libc.VIDIOC_G_CTRL ? "G_CTRL" :
        request == Libc.VIDIOC_S_CTRL ? "S_CTRL" : $"0x{request:x}";

    private int QueryCap(Libc.V4l2Capability* cap)
    {
        *cap = default;
        Write(cap->Driver, 16, "appliance-sim");
        Write(cap->Card, 32, Card);
        Write(cap->BusInfo, 32, "platform:" + Path);
        cap->Version = 0x060100;
        cap->DeviceCaps = Libc.V4L2_CAP_VIDEO_CAPTURE | Libc.V4L2_CAP_STREAMING;
        cap->Capabilities = cap->DeviceCaps | Libc.V4L2_CAP_DEVICE_CAPS;
        return 0;
    }

    private static void Write(byte* target, int max, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var n = Math.Min(bytes.Length, max - 1);
        for (var i = 0; i < n; i++) target[i] = bytes[i];
        target[n] = 0;
    }

    private List<CameraPixelFormat> Formats => [.. _modes.Select(m => m.Format).Distinct()];

    private int EnumFormat(Libc.V4l2FmtDesc* desc)
    {
        var formats = Formats;
        if (desc->Type != Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE || desc->Index >= formats.Count) return Libc.EINVAL;
        desc->PixelFormat = Fourcc(formats[(int)desc->Index]);
        desc->Flags = formats[(int)desc->Index] == CameraPixelFormat.Mjpeg ? 1u : 0u; // V4L2_FMT_FLAG_COMPRESSED
        Write(desc->Description, 32, formats[(int)desc->Index] == CameraPixelFormat.Mjpeg ? "Motion-JPEG" : "YUYV 4:2:2");
        return 0;
    }

    private int EnumSizes(Libc.V4l2FrmSizeEnum* size)
    {
        var sizes = _modes.Where(m => Fourcc(m.Format) == size->PixelFormat).ToList();
        if (size->Index >= sizes.Count) return Libc.EINVAL;
        size->Type = Libc.V4L2_FRMSIZE_TYPE_DISCRETE;
        size->Size[0] = (uint)sizes[(int)size->Index].Width;
        size->Size[1] = (uint)sizes[(int)size->Index].Height;
        return 0;
    }

    private static uint Fourcc(CameraPixelFormat format) => format == CameraPixelFormat.Mjpeg ? Libc.V4L2_PIX_FMT_MJPEG : Libc.V4L2_PIX_FMT_YUYV;

    /// <summary>Like a driver: an unknown pixel format is replaced by the first one, the size by the nearest offered.</summary>
    private int SetFormat(Libc.V4l2Format* fmt)
    {
        if (fmt->Type != Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE) return Libc.EINVAL;
        if (_buffers.Length > 0) return EBUSY;
        var format = Formats.FirstOrDefault(f => Fourcc(f) == fmt->Pix.PixelFormat, Formats[0]);
        var w = (long)fmt->Pix.Width;
        var h = (long)fmt->Pix.Height;
        _mode = _modes.Where(m => m.Format == format).OrderBy(m => Math.Abs(m.Width - w) + Math.Abs(m.Height - h)).First();
        return GetFormat(fmt);
    }

    private int GetFormat(Libc.V4l2Format* fmt)
    {
        fmt->Pix = default;
        fmt->Pix.Width = (uint)_mode.Width;
        fmt->Pix.Height = (uint)_mode.Height;
        fmt->Pix.PixelFormat = Fourcc(_mode.Format);
        fmt->Pix.Field = Libc.V4L2_FIELD_NONE;
        fmt->Pix.BytesPerLine = _mode.Format == CameraPixelFormat.Yuyv ? (uint)_mode.Width * 2 : 0;
        fmt->Pix.SizeImage = BufferSize;
        // As uvcvideo reports them: sRGB primaries, YUYV coded BT.601 in limited range (what the frame source must send).
        fmt->Pix.Colorspace = Libc.V4L2_COLORSPACE_SRGB;
        if (_mode.Format == CameraPixelFormat.Yuyv)
        {
            fmt->Pix.YcbcrEnc = Libc.V4L2_YCBCR_ENC_601;
            fmt->Pix.Quantization = Libc.V4L2_QUANTIZATION_LIM_RANGE;
        }
        return 0;
    }

    private uint BufferSize => (uint)(_mode.Width * _mode.Height * 2);

    private int SetParm(Libc.V4l2StreamParm* parm)
    {
        if (parm->TimePerFrameNumerator > 0 && parm->TimePerFrameDenominator > 0)
            _framesPerSecond = (int)Math.Clamp(parm->TimePerFrameDenominator / parm->TimePerFrameNumerator, 1, 60);
        parm->TimePerFrameNumerator = 1;
        parm->TimePerFrameDenominator = (uint)_framesPerSecond;
        return 0;
    }

    private int RequestBuffers(Libc.V4l2RequestBuffers* req)
    {
        if (req->Memory != Libc.V4L2_MEMORY_MMAP) return Libc.EINVAL;
        if (_streaming) return EBUSY;
        FreeBuffers();
        if (req->Count == 0) return 0;
        var count = Math.Clamp(req->Count, 2, 8);
        _buffers = new (nint, uint, uint, uint)[count];
        for (var i = 0; i < count; i++)
            _buffers[i] = ((nint)NativeMemory.AllocZeroed(BufferSize), BufferSize, 0, 0);
        req->Count = count;
        return 0;
    }

    private void FreeBuffers()
    {
        foreach (var b in _buffers) NativeMemory.Free((void*)b.Address);
        _buffers = [];
        _queued.Clear();
        _done.Clear();
    }

    private static uint OffsetOf(uint index) => index * 0x1000_0000u;

    private int QueryBuffer(Libc.V4l2Buffer* buf)
    {
        if (buf->Index >= _buffers.Length) return Libc.EINVAL;
        buf->Offset = OffsetOf(buf->Index);
        buf->Length = _buffers[buf->Index].Length;
        return 0;
    }

    private int Queue(Libc.V4l2Buffer* buf)
    {
        if (buf->Index >= _buffers.Length || _queued.Contains(buf->Index) || _done.Contains(buf->Index)) return Libc.EINVAL;
        _queued.Enqueue(buf->Index);
        return 0;
    }

    private int Dequeue(Libc.V4l2Buffer* buf)
    {
        if (!_streaming || !_done.TryDequeue(out var index)) return Libc.EAGAIN;
        var b = _buffers[index];
        buf->Index = index;
        buf->BytesUsed = b.BytesUsed;
        buf->Sequence = b.Sequence;
        buf->Flags = b.BytesUsed == 0 ? Libc.V4L2_BUF_FLAG_ERROR : 0;
        buf->Field = Libc.V4L2_FIELD_NONE;
        buf->Length = b.Length;
        buf->Offset = OffsetOf(index);
        return 0;
    }

    private int StreamOn()
    {
        if (_buffers.Length == 0) return Libc.EINVAL;
        _streaming = true;
        _nextFrameAt = _time.GetTimestamp();
        return 0;
    }

    private int StreamOff()
    {
        _streaming = false;
        _queued.Clear();
        _done.Clear();
        return 0;
    }

    private ModelControl? Control(uint id) => _controls.FirstOrDefault(c => c.Id == id);

    private int QueryControl(Libc.V4l2QueryCtrl* q)
    {
        if (Control(q->Id) is not { } c) return Libc.EINVAL;
        q->Type = c.Type;
        Write(q->Name, 32, c.Name);
        q->Minimum = c.Minimum;
        q->Maximum = c.Maximum;
        q->Step = c.Step;
        q->DefaultValue = c.Default;
        q->Flags = 0;
        return 0;
    }

    private int GetControl(Libc.V4l2Control* control)
    {
        if (Control(control->Id) is not { } c) return Libc.EINVAL;
        control->Value = c.Value;
        return 0;
    }

    private int SetControl(Libc.V4l2Control* control)
    {
        if (Control(control->Id) is not { } c) return Libc.EINVAL;
        if (control->Value < c.Minimum || control->Value > c.Maximum) return ERANGE;
        c.Value = control->Value;
        return 0;
    }

    public byte* Map(uint offset, uint length, out int errno)
    {
        lock (_gate)
        {
            errno = 0;
            if (_vanished.IsSet) { errno = Libc.ENODEV; return null; }
            var index = offset / 0x1000_0000u;
            if (index >= _buffers.Length || offset != OffsetOf(index) || length > _buffers[index].Length) { errno = Libc.EINVAL; return null; }
            return (byte*)_buffers[index].Address;
        }
    }

    public void Unmap(byte* address, uint length) { }

    /// <summary>Sleeps until the next frame is due at the frame rate, then renders it into the oldest queued buffer.</summary>
    public bool WaitForFrame(int timeoutMs)
    {
        long dueIn;
        lock (_gate)
        {
            if (_vanished.IsSet) throw new CameraException(CameraError.Removed, $"{Path}: the camera went away");
            if (_done.Count > 0) return true;
            if (!_streaming || _queued.Count == 0) dueIn = timeoutMs;
            else dueIn = (long)Math.Max(0, _time.GetElapsedTime(_time.GetTimestamp(), _nextFrameAt).TotalMilliseconds);
        }
        if (dueIn > 0 && _vanished.Wait((int)Math.Min(dueIn, timeoutMs)))
            throw new CameraException(CameraError.Removed, $"{Path}: the camera went away");
        if (dueIn > timeoutMs) return false;
        lock (_gate)
        {
            if (!_streaming || !_queued.TryDequeue(out var index)) return false;
            var sequence = _sequence++;
            var frame = _frameSource(_mode, sequence);
            var b = _buffers[index];
            var used = (uint)Math.Min(frame.Length, (int)b.Length);
            frame.AsSpan(0, (int)used).CopyTo(new Span<byte>((void*)b.Address, (int)b.Length));
            _buffers[index] = (b.Address, b.Length, frame.Length > b.Length ? 0 : used, (uint)sequence);
            _done.Enqueue(index);
            _nextFrameAt = Math.Max(_nextFrameAt + _time.TimestampFrequency / _framesPerSecond, _time.GetTimestamp() - _time.TimestampFrequency);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (IsDisposed) return;
            IsDisposed = true;
            _streaming = false;
            FreeBuffers();
        }
    }
}
