using Appliance.Devices.Interop;

namespace Appliance.Devices.Camera;

/// <summary>
/// A V4L2 capture camera through mmap streaming I/O: QUERYCAP, ENUM_FMT / ENUM_FRAMESIZES, S_FMT,
/// REQBUFS + QUERYBUF + mmap, QBUF/DQBUF, STREAMON/STREAMOFF and the QUERYCTRL/G_CTRL/S_CTRL controls.
/// Takes MJPEG (passed through as JPEG) or YUYV. Not thread-safe: one capture loop owns it.
/// </summary>
public sealed unsafe class V4l2Camera : IDisposable
{
    private readonly IV4l2Device _device;
    private readonly TimeProvider _time;
    private MappedBuffer[] _buffers = [];
    private bool _streaming;
    private CameraMode _mode;

    private readonly record struct MappedBuffer(nint Address, uint Length);

    internal V4l2Camera(IV4l2Device device, TimeProvider? time = null)
    {
        _device = device;
        _time = time ?? TimeProvider.System;
        Info = QueryCapabilities();
        Modes = EnumerateModes();
        if (Modes.Count == 0)
            throw new CameraException(CameraError.NotSupported, $"{device.Path}: offers neither MJPEG nor YUYV");
    }

    /// <summary>Opens a real V4L2 node such as <c>/dev/video0</c>.</summary>
    public static V4l2Camera Open(string path)
    {
        var device = LinuxV4l2Device.Open(path);
        try { return new V4l2Camera(device); }
        catch { device.Dispose(); throw; }
    }

    public string Path => _device.Path;
    public CameraInfo Info { get; }

    /// <summary>Every MJPEG and YUYV size the camera offers, largest first, MJPEG before YUYV at equal size.</summary>
    public IReadOnlyList<CameraMode> Modes { get; }

    /// <summary>How the granted YUYV format codes its samples (S_FMT's quantization and colorspace); meaningless for MJPEG.</summary>
    public YuvRange YuyvRange { get; private set; }

    /// <summary>The format in force after <see cref="Configure"/>.</summary>
    public CameraMode Mode => _mode;

    private CameraInfo QueryCapabilities()
    {
        Libc.V4l2Capability cap;
        Check(_device.Ioctl(Libc.VIDIOC_QUERYCAP, &cap), "QUERYCAP");
        var caps = (cap.Capabilities & Libc.V4L2_CAP_DEVICE_CAPS) != 0 ? cap.DeviceCaps : cap.Capabilities;
        var info = new CameraInfo(Libc.FixedString(cap.Driver, 16), Libc.FixedString(cap.Card, 32), Libc.FixedString(cap.BusInfo, 32));
        if ((caps & Libc.V4L2_CAP_VIDEO_CAPTURE) == 0 || (caps & Libc.V4L2_CAP_STREAMING) == 0)
            throw new CameraException(CameraError.NotSupported, $"{_device.Path}: {info.Card} is not a streaming capture device");
        return info;
    }

    private List<CameraMode> EnumerateModes()
    {
        var modes = new List<CameraMode>();
        for (uint i = 0; ; i++)
        {
            var desc = new Libc.V4l2FmtDesc { Index = i, Type = Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE };
            if (_device.Ioctl(Libc.VIDIOC_ENUM_FMT, &desc) != 0) break;
            if (ToFormat(desc.PixelFormat) is not { } format) continue;
            for (uint j = 0; ; j++)
            {
                var size = new Libc.V4l2FrmSizeEnum { Index = j, PixelFormat = desc.PixelFormat };
                if (_device.Ioctl(Libc.VIDIOC_ENUM_FRAMESIZES, &size) != 0) break;
                if (size.Type == Libc.V4L2_FRMSIZE_TYPE_DISCRETE)
                {
                    modes.Add(new CameraMode(format, (int)size.Size[0], (int)size.Size[1]));
                    continue;
                }
                // Stepwise/continuous: offer the common sizes that fall inside the range.
                foreach (var (w, h) in CommonSizes)
                    if (w >= size.Size[0] && w <= size.Size[1] && h >= size.Size[3] && h <= size.Size[4])
                        modes.Add(new CameraMode(format, w, h));
                break;
            }
        }
        return [.. modes.Distinct().OrderByDescending(m => m.Width * m.Height).ThenBy(m => m.Format)];
    }

    private static readonly (int, int)[] CommonSizes = [(2592, 1944), (1920, 1080), (1600, 1200), (1280, 720), (1024, 768), (800, 600), (640, 480), (320, 240)];

    internal static CameraPixelFormat? ToFormat(uint fourcc) =>
        fourcc == Libc.V4L2_PIX_FMT_MJPEG ? CameraPixelFormat.Mjpeg : fourcc == Libc.V4L2_PIX_FMT_YUYV ? CameraPixelFormat.Yuyv : null;

    internal static uint ToFourCc(CameraPixelFormat format) => format == CameraPixelFormat.Mjpeg ? Libc.V4L2_PIX_FMT_MJPEG : Libc.V4L2_PIX_FMT_YUYV;

    /// <summary>
    /// Picks the offered mode nearest to the wanted size (MJPEG preferred: it passes through without
    /// re-encoding), sets it with S_FMT and returns what the driver actually granted.
    /// </summary>
    public CameraMode Configure(int width, int height, CameraPixelFormat? format = null)
    {
        if (_streaming) throw new InvalidOperationException("stop the camera before changing its format");
        var wanted = Modes
            .Where(m => format is null || m.Format == format)
            .OrderBy(m => Math.Abs((long)m.Width * m.Height - (long)width * height))
            .ThenBy(m => m.Format)
            .FirstOrDefault();
        if (wanted == default)
            throw new CameraException(CameraError.NotSupported, $"{_device.Path}: no {format} mode");
        var fmt = new Libc.V4l2Format { Type = Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE };
        fmt.Pix.Width = (uint)wanted.Width;
        fmt.Pix.Height = (uint)wanted.Height;
        fmt.Pix.PixelFormat = ToFourCc(wanted.Format);
        fmt.Pix.Field = Libc.V4L2_FIELD_NONE;
        Check(_device.Ioctl(Libc.VIDIOC_S_FMT, &fmt), "S_FMT");
        var granted = ToFormat(fmt.Pix.PixelFormat)
            ?? throw new CameraException(CameraError.NotSupported, $"{_device.Path}: driver substituted an unsupported pixel format");
        _mode = new CameraMode(granted, (int)fmt.Pix.Width, (int)fmt.Pix.Height);
        // V4L2's default quantization for YUV is limited range, except in the JPEG colorspace (videodev2.h V4L2_MAP_QUANTIZATION_DEFAULT).
        YuyvRange = fmt.Pix.Quantization == Libc.V4L2_QUANTIZATION_FULL_RANGE
            || (fmt.Pix.Quantization == Libc.V4L2_QUANTIZATION_DEFAULT && fmt.Pix.Colorspace == Libc.V4L2_COLORSPACE_JPEG)
            ? YuvRange.Full : YuvRange.Limited;
        return _mode;
    }

    /// <summary>Asks for a frame rate; a driver that cannot set it keeps its own (not an error).</summary>
    public void SetFrameRate(int framesPerSecond)
    {
        if (framesPerSecond <= 0) return;
        var parm = new Libc.V4l2StreamParm { Type = Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE, TimePerFrameNumerator = 1, TimePerFrameDenominator = (uint)framesPerSecond };
        _device.Ioctl(Libc.VIDIOC_S_PARM, &parm);
    }

    /// <summary>Requests and maps the buffers, queues them all and starts streaming.</summary>
    public void Start(int bufferCount = 4)
    {
        if (_streaming) return;
        if (_mode == default) Configure(Modes[0].Width, Modes[0].Height);
        var req = new Libc.V4l2RequestBuffers { Count = (uint)bufferCount, Type = Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE, Memory = Libc.V4L2_MEMORY_MMAP };
        Check(_device.Ioctl(Libc.VIDIOC_REQBUFS, &req), "REQBUFS");
        if (req.Count < 2)
            throw new CameraException(CameraError.Failed, $"{_device.Path}: driver granted {req.Count} buffers, need at least 2");
        _buffers = new MappedBuffer[req.Count];
        try
        {
            for (uint i = 0; i < req.Count; i++)
            {
                var buf = new Libc.V4l2Buffer { Index = i, Type = Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE, Memory = Libc.V4L2_MEMORY_MMAP };
                Check(_device.Ioctl(Libc.VIDIOC_QUERYBUF, &buf), "QUERYBUF");
                var address = _device.Map(buf.Offset, buf.Length, out var errno);
                if (address is null) Check(errno, "mmap");
                _buffers[i] = new MappedBuffer((nint)address, buf.Length);
                Check(_device.Ioctl(Libc.VIDIOC_QBUF, &buf), "QBUF");
            }
            var type = (int)Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE;
            Check(_device.Ioctl(Libc.VIDIOC_STREAMON, &type), "STREAMON");
            _streaming = true;
        }
        catch
        {
            ReleaseBuffers();
            throw;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for the next frame, copies it out and gives the buffer back.
    /// Returns null on timeout or on a frame the driver flagged as corrupt. Throws <see cref="CameraException"/>
    /// with <see cref="CameraError.Removed"/> when the device vanished.
    /// </summary>
    public CameraFrame? ReadFrame(int timeoutMs)
    {
        if (!_streaming) throw new InvalidOperationException("camera not started");
        if (!_device.WaitForFrame(timeoutMs)) return null;
        var buf = new Libc.V4l2Buffer { Type = Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE, Memory = Libc.V4L2_MEMORY_MMAP };
        var errno = _device.Ioctl(Libc.VIDIOC_DQBUF, &buf);
        if (errno == Libc.EAGAIN) return null;
        Check(errno, "DQBUF");
        if (buf.Index >= _buffers.Length)
            throw new CameraException(CameraError.Failed, $"{_device.Path}: DQBUF returned buffer {buf.Index} of {_buffers.Length}");
        CameraFrame? frame = null;
        var used = Math.Min(buf.BytesUsed, _buffers[buf.Index].Length);
        if ((buf.Flags & Libc.V4L2_BUF_FLAG_ERROR) == 0 && used > 0 && IsWholeFrame((byte*)_buffers[buf.Index].Address, used))
        {
            var data = new ReadOnlySpan<byte>((void*)_buffers[buf.Index].Address, (int)used).ToArray();
            frame = new CameraFrame(data, _mode.Format, _mode.Width, _mode.Height, buf.Sequence, _time.GetUtcNow());
        }
        Check(_device.Ioctl(Libc.VIDIOC_QBUF, &buf), "QBUF");
        return frame;
    }

    /// <summary>A YUYV frame must be complete; a JPEG must at least start with SOI (UVC sometimes delivers truncated ones).</summary>
    private bool IsWholeFrame(byte* data, uint used) => _mode.Format == CameraPixelFormat.Yuyv
        ? used >= (uint)(_mode.Width * _mode.Height * 2)
        : used >= 4 && data[0] == 0xFF && data[1] == 0xD8;

    /// <summary>STREAMOFF, unmap, free the buffers. Safe to call twice and after the device vanished.</summary>
    public void Stop()
    {
        if (_streaming)
        {
            var type = (int)Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE;
            _device.Ioctl(Libc.VIDIOC_STREAMOFF, &type);
            _streaming = false;
        }
        ReleaseBuffers();
    }

    private void ReleaseBuffers()
    {
        if (_buffers.Length == 0) return;
        foreach (var b in _buffers)
            if (b.Address != 0) _device.Unmap((byte*)b.Address, b.Length);
        _buffers = [];
        var req = new Libc.V4l2RequestBuffers { Count = 0, Type = Libc.V4L2_BUF_TYPE_VIDEO_CAPTURE, Memory = Libc.V4L2_MEMORY_MMAP };
        _device.Ioctl(Libc.VIDIOC_REQBUFS, &req);
    }

    /// <summary>QUERYCTRL + G_CTRL; null when the camera has no such control (or it is disabled).</summary>
    public CameraControl? QueryControl(uint id)
    {
        var q = new Libc.V4l2QueryCtrl { Id = id };
        if (_device.Ioctl(Libc.VIDIOC_QUERYCTRL, &q) != 0 || (q.Flags & Libc.V4L2_CTRL_FLAG_DISABLED) != 0) return null;
        var c = new Libc.V4l2Control { Id = id };
        var current = _device.Ioctl(Libc.VIDIOC_G_CTRL, &c) == 0 ? c.Value : q.DefaultValue;
        return new CameraControl(id, Libc.FixedString(q.Name, 32), q.Minimum, q.Maximum, Math.Max(1, q.Step), q.DefaultValue, current, q.Type == Libc.V4L2_CTRL_TYPE_BOOLEAN);
    }

    /// <summary>S_CTRL; returns the errno (0 on success) because "the camera refused this value" is an answer, not a crash.</summary>
    public int SetControl(uint id, int value)
    {
        var c = new Libc.V4l2Control { Id = id, Value = value };
        return _device.Ioctl(Libc.VIDIOC_S_CTRL, &c);
    }

    private void Check(int errno, string what)
    {
        if (errno == 0) return;
        var error = errno is Libc.ENODEV or Libc.EIO or Libc.ENXIO ? CameraError.Removed : CameraError.Failed;
        throw new CameraException(error, $"{_device.Path}: {what}: {Libc.StrError(errno)}");
    }

    public void Dispose()
    {
        try { Stop(); }
        finally { _device.Dispose(); }
    }
}
