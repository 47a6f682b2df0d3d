using Appliance.Devices.Camera;
using Appliance.Imaging.Jpeg;
using Appliance.Simulators.Camera;

namespace Appliance.Devices.Tests.Camera;

/// <summary>
/// A raw-YUYV camera end to end: the scene coded as a USB camera codes it (BT.601, limited range) in the V4L2 device
/// model, captured by the real driver, encoded by <see cref="CameraChannel"/> through libturbojpeg, decoded again:
/// the picture a viewer gets has the scene's colours.
/// </summary>
public sealed class CameraChannelYuyvTests
{
    /// <summary>The scene's clock stands still, so a reference frame drawn later is the same picture.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task A_yuyv_mode_is_encoded_to_jpeg_with_the_scenes_colours()
    {
        const int W = 640, H = 480;
        var scene = new CameraScene("document", new StoppedClock(new DateTimeOffset(2025, 11, 20, 14, 30, 15, TimeSpan.Zero)));
        var channel = new CameraChannel(0, "document",
            () => new V4l2Camera(new V4l2DeviceModel("/dev/video-yuyv", "YUYV Cam", [new(CameraPixelFormat.Yuyv, W, H)],
                (mode, seq) => scene.RenderYuyv(mode.Width, mode.Height, seq))),
            JpegCodec.Shared, new CameraChannelOptions { Width = W, Height = H, FrameRate = 30, StreamJpegQuality = 90 });
        await using var _ = channel;
        using var viewer = channel.Subscribe();

        var frame = await viewer.NextAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(frame);
        Assert.Equal(new CameraMode(CameraPixelFormat.Yuyv, W, H), channel.CurrentMode);
        Assert.Equal(CameraPixelFormat.Mjpeg, frame.Format);   // what streams and grabs get
        var decoded = JpegCodec.Shared.Decode(frame.Data, JpegPixels.Rgba);
        Assert.Equal((W, H), (decoded.Width, decoded.Height));

        var reference = scene.RenderRgba(W, H, frame.Sequence);
        var checkedPoints = 0;
        bool sawColour = false, sawWhite = false;
        for (var y = 8; y < H - 8; y += 23)
        {
            for (var x = 8; x < W - 8; x += 29)
            {
                // Only where the scene is flat around the point: edges blur in 4:2:2 and JPEG, that is not what is tested.
                if (!IsFlat(reference, W, x, y)) continue;
                checkedPoints++;
                for (var c = 0; c < 3; c++)
                {
                    var want = reference[(y * W + x) * 4 + c];
                    var got = Mean(decoded.Pixels, W, x, y, c);
                    Assert.True(Math.Abs(got - want) <= 10, $"({x},{y}) channel {"RGB"[c]}: scene {want}, decoded {got:0}");
                }
                var (r, g, b) = (reference[(y * W + x) * 4], reference[(y * W + x) * 4 + 1], reference[(y * W + x) * 4 + 2]);
                sawColour |= r - b > 50;                    // the wooden desk: a swapped or lost chroma shows here
                sawWhite |= r > 240 && g > 240 && b > 235;  // the paper: an unstretched limited range shows here
            }
        }
        Assert.True(checkedPoints >= 40, $"only {checkedPoints} flat points");
        Assert.True(sawColour && sawWhite, "the points cover the desk and the paper");
    }

    private static bool IsFlat(byte[] rgba, int width, int x, int y)
    {
        var centre = (y * width + x) * 4;
        for (var dy = -4; dy <= 4; dy++)
            for (var dx = -4; dx <= 4; dx++)
                for (var c = 0; c < 3; c++)
                    if (Math.Abs(rgba[((y + dy) * width + x + dx) * 4 + c] - rgba[centre + c]) > 3) return false;
        return true;
    }

    private static double Mean(byte[] rgba, int width, int x, int y, int channel)
    {
        var sum = 0;
        for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
                sum += rgba[((y + dy) * width + x + dx) * 4 + channel];
        return sum / 9.0;
    }
}
