using Appliance.Devices.Camera;
using Appliance.Simulators.Camera;

namespace Appliance.Devices.Tests.Camera;

/// <summary>The frame hub: reference counting, shared frames, and how streams end.</summary>
public sealed class CameraChannelTests
{
    private sealed class NoYuyv : IYuyvEncoder
    {
        public byte[] EncodeYuyv(ReadOnlySpan<byte> yuyv, int width, int height, int quality, YuvRange range) => throw new InvalidOperationException("MJPEG must pass through");
    }

    private static (CameraChannel Channel, List<V4l2DeviceModel> Models) Channel()
    {
        var models = new List<V4l2DeviceModel>();
        var channel = new CameraChannel(0, "document", () =>
        {
            var model = new V4l2DeviceModel("/dev/video-test", "Test", [new(CameraPixelFormat.Mjpeg, 640, 480)],
                (_, seq) => [0xFF, 0xD8, (byte)seq, 0xFF, 0xD9]);
            lock (models) models.Add(model);
            return new V4l2Camera(model);
        }, new NoYuyv(), new CameraChannelOptions { Width = 640, Height = 480, FrameRate = 30 });
        return (channel, models);
    }

    [Fact]
    public async Task Two_clients_share_one_capture_and_get_the_same_frame_objects()
    {
        var (channel, models) = Channel();
        await using var _ = channel;
        using var a = channel.Subscribe();
        using var b = channel.Subscribe();
        var ct = TestContext.Current.CancellationToken;

        var fa = await a.NextAsync(ct);
        CameraFrame? fb;
        do fb = await b.NextAsync(ct); while (fb!.Sequence < fa!.Sequence);
        Assert.Single(models);
        Assert.Equal(CameraChannelState.Running, channel.State);
        Assert.Equal(0xFF, fb.Data[0]);
    }

    [Fact]
    public async Task Open_and_close_count_references_and_the_last_close_ends_streams_as_closed()
    {
        var (channel, models) = Channel();
        await using var _ = channel;
        channel.Open();
        channel.Open();
        using var viewer = channel.Subscribe();
        Assert.Equal(2, channel.OpenCount);
        Assert.NotNull(await viewer.NextAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1, channel.Close());
        Assert.Equal(StreamEndReason.None, viewer.EndReason);
        Assert.Equal(0, channel.Close());

        while (await viewer.NextAsync(TestContext.Current.CancellationToken) is not null) { }
        Assert.Equal(StreamEndReason.Closed, viewer.EndReason);
        Assert.Equal(CameraChannelState.Ready, channel.State);
        Assert.True(models[0].IsDisposed);
        Assert.Equal(0, channel.Close()); // closing a closed camera is harmless
    }

    [Fact]
    public async Task A_stream_opens_a_closed_camera_and_its_leaving_closes_it_again()
    {
        var (channel, models) = Channel();
        await using var _ = channel;
        var viewer = channel.Subscribe();
        Assert.Equal(1, channel.OpenCount);
        Assert.NotNull(await viewer.NextAsync(TestContext.Current.CancellationToken));
        viewer.Dispose();
        Assert.Equal(0, channel.OpenCount);
        Assert.True(models[0].IsDisposed);
    }

    [Fact]
    public async Task A_camera_vanishing_ends_every_stream_with_removed_and_marks_it_absent()
    {
        var (channel, models) = Channel();
        await using var _ = channel;
        var states = new List<CameraChannelState>();
        channel.StateChanged += c => { lock (states) states.Add(c.State); };
        using var viewer = channel.Subscribe();
        Assert.NotNull(await viewer.NextAsync(TestContext.Current.CancellationToken));

        models[0].Vanish();

        while (await viewer.NextAsync(TestContext.Current.CancellationToken) is not null) { }
        Assert.Equal(StreamEndReason.Removed, viewer.EndReason);
        await WaitUntil(() => channel.State == CameraChannelState.Absent);
        Assert.Equal(0, channel.OpenCount);
    }

    [Fact]
    public async Task Grab_opens_the_camera_for_one_frame_and_closes_it()
    {
        var (channel, models) = Channel();
        await using var _ = channel;
        var frame = await channel.GrabAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0xD8, frame.Data[1]);
        Assert.Equal(0, channel.OpenCount);
        Assert.True(models[0].IsDisposed);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in 30 s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
