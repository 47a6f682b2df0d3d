using Appliance.Devices.Camera;
using Appliance.Devices.Interop;
using Appliance.Simulators.Camera;

namespace Appliance.Devices.Tests.Camera;

/// <summary>The real V4L2 driver against a device modelled at the ioctl boundary.</summary>
public sealed unsafe class V4l2CameraTests
{
    private static byte[] Jpeg(CameraMode mode, long sequence) =>
        [0xFF, 0xD8, (byte)sequence, (byte)(sequence >> 8), (byte)mode.Width, (byte)mode.Height, 0xFF, 0xD9];

    private static V4l2DeviceModel Model(params CameraMode[] modes) =>
        new("/dev/video-test", "Test Cam", modes.Length > 0 ? modes : [new(CameraPixelFormat.Mjpeg, 1920, 1080), new(CameraPixelFormat.Mjpeg, 1280, 720), new(CameraPixelFormat.Yuyv, 640, 480)],
            (mode, seq) => mode.Format == CameraPixelFormat.Mjpeg ? Jpeg(mode, seq) : new byte[mode.Width * mode.Height * 2],
            [new ModelControl(Libc.V4L2_CID_CONTRAST, "Contrast", 0, 64, 1, 32),
             new ModelControl(Libc.V4L2_CID_EXPOSURE_AUTO, "Auto Exposure", 0, 3, 1, 3, Libc.V4L2_CTRL_TYPE_MENU),
             new ModelControl(Libc.V4L2_CID_EXPOSURE_ABSOLUTE, "Exposure", 1, 5000, 1, 156)]);

    [Fact]
    public void Struct_sizes_and_ioctl_numbers_match_the_kernel_headers()
    {
        Assert.Equal(104, sizeof(Libc.V4l2Capability));
        Assert.Equal(64, sizeof(Libc.V4l2FmtDesc));
        Assert.Equal(208, sizeof(Libc.V4l2Format));
        Assert.Equal(44, sizeof(Libc.V4l2FrmSizeEnum));
        Assert.Equal(20, sizeof(Libc.V4l2RequestBuffers));
        Assert.Equal(88, sizeof(Libc.V4l2Buffer));
        Assert.Equal(68, sizeof(Libc.V4l2QueryCtrl));
        Assert.Equal(8, sizeof(Libc.V4l2Control));
        Assert.Equal(204, sizeof(Libc.V4l2StreamParm));
        // Values from linux/videodev2.h as compiled for x86-64/arm64.
        Assert.Equal((nuint)0x80685600, Libc.VIDIOC_QUERYCAP);
        Assert.Equal((nuint)0xc0405602, Libc.VIDIOC_ENUM_FMT);
        Assert.Equal((nuint)0xc0d05605, Libc.VIDIOC_S_FMT);
        Assert.Equal((nuint)0xc0145608, Libc.VIDIOC_REQBUFS);
        Assert.Equal((nuint)0xc0585609, Libc.VIDIOC_QUERYBUF);
        Assert.Equal((nuint)0xc058560f, Libc.VIDIOC_QBUF);
        Assert.Equal((nuint)0xc0585611, Libc.VIDIOC_DQBUF);
        Assert.Equal((nuint)0x40045612, Libc.VIDIOC_STREAMON);
        Assert.Equal((nuint)0x40045613, Libc.VIDIOC_STREAMOFF);
        Assert.Equal((nuint)0xc0445624, Libc.VIDIOC_QUERYCTRL);
        Assert.Equal((nuint)0xc008561c, Libc.VIDIOC_S_CTRL);
        Assert.Equal((nuint)0xc02c564a, Libc.VIDIOC_ENUM_FRAMESIZES);
    }

    [Fact]
    public void Enumerates_formats_and_sizes_and_negotiates_the_nearest_mode()
    {
        var model = Model();
        using var camera = new V4l2Camera(model);

        Assert.Equal("Test Cam", camera.Info.Card);
        Assert.Equal([new(CameraPixelFormat.Mjpeg, 1920, 1080), new(CameraPixelFormat.Mjpeg, 1280, 720), new CameraMode(CameraPixelFormat.Yuyv, 640, 480)], camera.Modes);

        Assert.Equal(new CameraMode(CameraPixelFormat.Mjpeg, 1280, 720), camera.Configure(1000, 700));
        Assert.Equal(new CameraMode(CameraPixelFormat.Yuyv, 640, 480), camera.Configure(1920, 1080, CameraPixelFormat.Yuyv));
        Assert.Equal(new CameraMode(CameraPixelFormat.Mjpeg, 1920, 1080), camera.Configure(4000, 3000));
        Assert.Equal(["QUERYCAP", "ENUM_FMT", "ENUM_FRAMESIZES", "ENUM_FRAMESIZES", "ENUM_FRAMESIZES", "ENUM_FMT", "ENUM_FRAMESIZES", "ENUM_FRAMESIZES", "ENUM_FMT"],
            model.Calls.Take(9));
        Assert.Equal(3, model.Calls.Count(c => c == "S_FMT"));
    }

    [Fact]
    public void Buffers_cycle_through_the_queue_and_frames_arrive_in_order()
    {
        var model = Model();
        using var camera = new V4l2Camera(model);
        camera.Configure(1280, 720);
        camera.SetFrameRate(60);
        camera.Start(bufferCount: 4);
        Assert.True(model.IsStreaming);
        Assert.Equal(4, model.BufferCount);

        var frames = new List<CameraFrame>();
        while (frames.Count < 12)
            if (camera.ReadFrame(5000) is { } frame) frames.Add(frame);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), frames.Select(f => f.Sequence));
        foreach (var f in frames)
        {
            Assert.Equal(CameraPixelFormat.Mjpeg, f.Format);
            Assert.Equal(Jpeg(new(CameraPixelFormat.Mjpeg, 1280, 720), f.Sequence), f.Data); // passed through byte for byte
        }
        Assert.Equal(4 + 12, model.Calls.Count(c => c == "QBUF"));
        Assert.Equal(12, model.Calls.Count(c => c == "DQBUF"));
        Assert.Equal(4, model.Calls.Count(c => c == "QUERYBUF"));

        camera.Stop();
        Assert.False(model.IsStreaming);
        Assert.Equal(0, model.BufferCount);
        Assert.Equal(["STREAMOFF", "REQBUFS"], model.Calls.TakeLast(2));
    }

    [Fact]
    public void Yuyv_frames_are_only_delivered_whole()
    {
        var model = Model(new CameraMode(CameraPixelFormat.Yuyv, 640, 480));
        using var camera = new V4l2Camera(model);
        camera.Configure(640, 480);
        camera.Start();
        var frame = camera.ReadFrame(5000) ?? camera.ReadFrame(5000);
        Assert.NotNull(frame);
        Assert.Equal(CameraPixelFormat.Yuyv, frame.Format);
        Assert.Equal(640 * 480 * 2, frame.Data.Length);
    }

    [Fact]
    public void A_device_vanishing_mid_stream_is_reported_as_removed_and_cleans_up()
    {
        var model = Model();
        using var camera = new V4l2Camera(model);
        camera.Configure(640, 480);
        camera.Start();
        Assert.NotNull(camera.ReadFrame(5000));

        model.Vanish();

        var e = Assert.Throws<CameraException>(() => camera.ReadFrame(5000));
        Assert.Equal(CameraError.Removed, e.Error);
        camera.Stop(); // must not throw on a dead device
        camera.Dispose();
        Assert.True(model.IsDisposed);
    }

    [Fact]
    public void Properties_follow_the_out_of_range_means_auto_else_default_rule()
    {
        var model = Model();
        using var camera = new V4l2Camera(model);

        Assert.Equal(CameraPropertyOutcome.Manual, CameraProperties.Set(camera, "exposure", 300));
        var manual = CameraProperties.Get(camera, "exposure")!;
        Assert.Equal((300, false), (manual.Current, manual.IsAuto));

        Assert.Equal(CameraPropertyOutcome.Automatic, CameraProperties.Set(camera, "exposure", 999_999));
        Assert.True(CameraProperties.Get(camera, "exposure")!.IsAuto);

        Assert.Equal(CameraPropertyOutcome.Manual, CameraProperties.Set(camera, "contrast", 10));
        Assert.Equal(CameraPropertyOutcome.Default, CameraProperties.Set(camera, "contrast", 999));
        var contrast = CameraProperties.Get(camera, "contrast")!;
        Assert.Equal((0, 64, 32, 32, false), (contrast.Minimum, contrast.Maximum, contrast.Default, contrast.Current, contrast.IsAuto));

        Assert.Null(CameraProperties.Get(camera, "roll"));
        Assert.Equal(CameraError.NotSupported, Assert.Throws<CameraException>(() => CameraProperties.Set(camera, "zoom", 1)).Error);
    }
}
