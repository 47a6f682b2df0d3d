using Appliance.Devices.Display;
using Appliance.Devices.Interop;

namespace Appliance.Devices.Tests.Display;

public sealed unsafe class FramebufferTests
{
    private static (nint Pixels, int Stride, byte[] Keep) Logical(int w, int h, Func<int, int, uint> colour)
    {
        var bytes = new byte[w * h * 4];
        fixed (byte* p = bytes)
            for (var y = 0; y < h; y++) for (var x = 0; x < w; x++) ((uint*)p)[y * w + x] = colour(x, y);
        return (0, w * 4, bytes);
    }

    [Fact]
    public void Presenter_copies_only_the_dirty_rectangle_into_xrgb8888_with_stride()
    {
        using var fb = new MemoryFramebuffer(16, 8, FramebufferPixelFormat.Xrgb8888, stride: 16 * 4 + 12);
        var flushed = new List<(int, int, int, int)>();
        fb.Flushed += (x, y, w, h) => flushed.Add((x, y, w, h));
        var presenter = new FramebufferPresenter(fb, 0);
        var (_, stride, src) = Logical(16, 8, (x, y) => 0xFF000000u | (uint)(x << 16 | y << 8 | 0x7F));
        fixed (byte* s = src) presenter.Present((nint)s, stride, 2, 3, 4, 2);
        Assert.Equal([(2, 3, 4, 2)], flushed);
        uint At(int x, int y) => *(uint*)((byte*)fb.Address + y * fb.Stride + x * 4);
        Assert.Equal(0xFF02037Fu, At(2, 3));
        Assert.Equal(0xFF05047Fu, At(5, 4));
        Assert.Equal(0u, At(6, 4));
        Assert.Equal(0u, At(2, 5));
        Assert.Equal(1, fb.Version);
    }

    [Fact]
    public void Presenter_converts_to_rgb565_and_rotates_for_the_panel()
    {
        using var fb = new MemoryFramebuffer(4, 6, FramebufferPixelFormat.Rgb565);   // portrait panel
        var presenter = new FramebufferPresenter(fb, 90);
        Assert.Equal((6, 4), (presenter.Width, presenter.Height));
        var (_, stride, src) = Logical(6, 4, (x, y) => x == 0 && y == 0 ? 0xFFFF0000u : 0xFF0000FFu);
        fixed (byte* s = src) presenter.Present((nint)s, stride, 0, 0, 6, 4);
        ushort At(int x, int y) => *(ushort*)((byte*)fb.Address + y * fb.Stride + x * 2);
        Assert.Equal((ushort)0xF800, At(3, 0));   // logical top-left is the panel's top-right
        Assert.Equal((ushort)0x001F, At(0, 0));
        var back = new byte[6 * 4 * 4];
        fixed (byte* b = back) presenter.ReadBack((nint)b, 6 * 4);
        Assert.Equal(0xFFFF0000u, BitConverter.ToUInt32(back, 0));
        Assert.Equal(0xFF0000FFu, BitConverter.ToUInt32(back, 4));
    }

    [Fact]
    public void Fbdev_formats_are_recognised_from_the_bitfields()
    {
        var xrgb = new Libc.FbVarScreenInfo { BitsPerPixel = 32, Red = new() { Offset = 16, Length = 8 }, Green = new() { Offset = 8, Length = 8 }, Blue = new() { Offset = 0, Length = 8 } };
        var rgb565 = new Libc.FbVarScreenInfo { BitsPerPixel = 16, Red = new() { Offset = 11, Length = 5 }, Green = new() { Offset = 5, Length = 6 }, Blue = new() { Offset = 0, Length = 5 } };
        var bgr = xrgb with { Red = new() { Offset = 0, Length = 8 }, Blue = new() { Offset = 16, Length = 8 } };
        Assert.Equal(FramebufferPixelFormat.Xrgb8888, FbdevFramebuffer.FormatOf(xrgb));
        Assert.Equal(FramebufferPixelFormat.Rgb565, FbdevFramebuffer.FormatOf(rgb565));
        Assert.Null(FbdevFramebuffer.FormatOf(bgr));
        Assert.Equal(160, sizeof(Libc.FbVarScreenInfo));
        Assert.Equal(80, sizeof(Libc.FbFixScreenInfo));
    }

    [Fact]
    public void A_missing_fbdev_node_is_reported_absent()
    {
        var e = Assert.Throws<DisplayDeviceException>(() => FbdevFramebuffer.Open("/dev/fb-does-not-exist"));
        Assert.True(e.IsAbsent);
        Assert.Contains("/dev/fb-does-not-exist", e.Message);
    }

    [Fact]
    public void Evdev_ioctl_numbers_match_linux_input_h()
    {
        Assert.Equal((nuint)0x80FF4506, Libc.EVIOCGNAME(255));
        Assert.Equal((nuint)0x40044590, Libc.EVIOCGRAB);
        Assert.Equal((nuint)0x80184540, Libc.EVIOCGABS(0));
        Assert.Equal((nuint)0x80184558, Libc.EVIOCGABS(0x18));
    }
}
