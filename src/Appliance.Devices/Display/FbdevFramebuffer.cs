using System.Text;
using Appliance.Devices.Interop;

namespace Appliance.Devices.Display;

/// <summary>Why the framebuffer could not be opened.</summary>
public sealed class DisplayDeviceException(string message, bool isAbsent) : IOException(message)
{
    public bool IsAbsent { get; } = isAbsent;
}

/// <summary>
/// A Linux fbdev display (<c>/dev/fb0</c>): geometry and format from FBIOGET_VSCREENINFO/FSCREENINFO, the visible
/// page mapped with mmap. Drawing writes the mapping directly, so a flush has nothing to copy; it pans to the
/// visible page only when the driver needs that (panning-capable drivers that expect it).
/// </summary>
public sealed unsafe class FbdevFramebuffer : IFramebuffer
{
    private readonly int _fd;
    private readonly nint _map;
    private readonly nuint _mapLength;
    private readonly bool _pan;
    private Libc.FbVarScreenInfo _var;
    private bool _disposed;

    private FbdevFramebuffer(string path, int fd, Libc.FbVarScreenInfo var, Libc.FbFixScreenInfo fix, FramebufferPixelFormat format, nint map, nuint mapLength)
    {
        Location = path;
        _fd = fd;
        _var = var;
        Width = (int)var.XRes;
        Height = (int)var.YRes;
        Stride = (int)fix.LineLength;
        Format = format;
        _map = map;
        _mapLength = mapLength;
        Address = map + (nint)(var.YOffset * fix.LineLength + var.XOffset * (var.BitsPerPixel / 8));
        _pan = fix.YPanStep != 0 && var.YResVirtual > var.YRes;
        Id = Encoding.ASCII.GetString(new ReadOnlySpan<byte>(fix.Id, 16)).TrimEnd('\0');
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }
    public FramebufferPixelFormat Format { get; }
    public nint Address { get; }
    public string Location { get; }
    /// <summary>The driver's id string (fb_fix_screeninfo.id).</summary>
    public string Id { get; }

    public static FbdevFramebuffer Open(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastErrno;
            throw new DisplayDeviceException($"cannot open {path}: {Libc.StrError(errno)}", errno is 2 or Libc.ENODEV or Libc.ENXIO);
        }
        try
        {
            Libc.FbVarScreenInfo var;
            Libc.FbFixScreenInfo fix;
            if (Libc.Ioctl(fd, Libc.FBIOGET_VSCREENINFO, &var) < 0) throw Fail(path, "FBIOGET_VSCREENINFO");
            if (Libc.Ioctl(fd, Libc.FBIOGET_FSCREENINFO, &fix) < 0) throw Fail(path, "FBIOGET_FSCREENINFO");
            var format = FormatOf(var) ?? throw new DisplayDeviceException(
                $"{path}: unsupported pixel format {var.BitsPerPixel} bpp (red {var.Red.Offset}/{var.Red.Length}, green {var.Green.Offset}/{var.Green.Length}, blue {var.Blue.Offset}/{var.Blue.Length}); expected XRGB8888 or RGB565", false);
            var length = (nuint)fix.SmemLen;
            if (length == 0) length = (nuint)(fix.LineLength * var.YResVirtual);
            var map = Libc.Mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            if (map == Libc.MAP_FAILED) throw Fail(path, "mmap");
            return new FbdevFramebuffer(path, fd, var, fix, format, map, length);
        }
        catch
        {
            Libc.Close(fd);
            throw;
        }
    }

    /// <summary>XRGB8888 = 32 bpp with red at 16, green at 8, blue at 0; RGB565 = 16 bpp red 11/5, green 5/6, blue 0/5.</summary>
    internal static FramebufferPixelFormat? FormatOf(in Libc.FbVarScreenInfo v) => v switch
    {
        { BitsPerPixel: 32, Red.Offset: 16, Green.Offset: 8, Blue.Offset: 0, Red.Length: 8, Green.Length: 8, Blue.Length: 8 } => FramebufferPixelFormat.Xrgb8888,
        { BitsPerPixel: 16, Red.Offset: 11, Green.Offset: 5, Blue.Offset: 0, Red.Length: 5, Green.Length: 6, Blue.Length: 5 } => FramebufferPixelFormat.Rgb565,
        _ => null,
    };

    public void Flush(int x, int y, int width, int height)
    {
        if (!_pan || _disposed) return;
        // Re-pan to the page we draw on; drivers with a shadow buffer copy it out on pan.
        var v = _var;
        Libc.Ioctl(_fd, Libc.FBIOPAN_DISPLAY, &v);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Libc.Munmap(_map, _mapLength);
        Libc.Close(_fd);
    }

    private static DisplayDeviceException Fail(string path, string call) =>
        new($"{call} on {path}: {Libc.StrError(Libc.LastErrno)}", false);
}
