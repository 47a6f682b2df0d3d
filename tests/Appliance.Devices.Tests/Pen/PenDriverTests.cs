using Appliance.Devices.Pen;
using Appliance.TestSupport;

namespace Appliance.Devices.Tests.Pen;

public sealed class PenDriverTests
{
    private static InputEvent Abs(ushort code, int value, long t = 1_000_000) => InputEvent.At(t, InputCodes.EV_ABS, code, value);
    private static InputEvent Key(ushort code, int value, long t = 1_000_000) => InputEvent.At(t, InputCodes.EV_KEY, code, value);
    private static InputEvent Syn(ushort code = InputCodes.SYN_REPORT, long t = 1_000_000) => InputEvent.At(t, InputCodes.EV_SYN, code, 0);

    private static byte[] Records(params InputEvent[] events)
    {
        var bytes = new byte[events.Length * InputEvent.Size];
        for (var i = 0; i < events.Length; i++) events[i].Write(bytes.AsSpan(i * InputEvent.Size));
        return bytes;
    }

    [Fact]
    public void Input_event_is_24_bytes_little_endian_in_the_64_bit_layout()
    {
        var bytes = Records(InputEvent.At(1_700_000_000_123_456, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 4095));
        Assert.Equal(24, bytes.Length);
        Assert.Equal(BitConverter.GetBytes(1_700_000_000L), bytes[0..8]);
        Assert.Equal(BitConverter.GetBytes(123_456L), bytes[8..16]);
        Assert.Equal(new byte[] { 3, 0, 0x18, 0, 0xFF, 0x0F, 0, 0 }, bytes[16..24]);
        Assert.Equal(InputEvent.At(1_700_000_000_123_456, 3, 0x18, 4095), InputEvent.Read(bytes));
    }

    [Fact]
    public void Framer_publishes_one_sample_per_syn_report_with_touch_and_tilt()
    {
        var framer = new InputEventFramer();
        var samples = new List<PenSample>();
        foreach (var e in new[]
        {
            Key(InputCodes.BTN_TOOL_PEN, 1), Abs(InputCodes.ABS_X, 10), Abs(InputCodes.ABS_Y, 20), Syn(),                    // hovering
            Key(InputCodes.BTN_TOUCH, 1), Abs(InputCodes.ABS_PRESSURE, 900), Abs(InputCodes.ABS_TILT_X, -12), Syn(),         // touch
            Abs(InputCodes.ABS_X, 11), Syn(),                                                                                 // only x moved
            Syn(),                                                                                                            // nothing changed
            Key(InputCodes.BTN_TOUCH, 0), Abs(InputCodes.ABS_PRESSURE, 0), Syn(),
        })
            if (framer.Feed(e, out var s)) samples.Add(s);

        Assert.Equal(4, samples.Count);
        Assert.False(samples[0].Touching); Assert.True(samples[0].InRange);
        Assert.Equal((10, 20, 900, true), (samples[1].X, samples[1].Y, samples[1].Pressure, samples[1].Touching));
        Assert.Equal(-12, samples[1].TiltX);
        Assert.Null(samples[1].TiltY);
        Assert.Equal((11, 20, true), (samples[2].X, samples[2].Y, samples[2].Touching));
        Assert.False(samples[3].Touching);
    }

    [Fact]
    public void After_syn_dropped_everything_up_to_the_next_report_is_discarded_and_the_pen_is_lifted()
    {
        var framer = new InputEventFramer();
        var samples = new List<PenSample>();
        foreach (var e in new[]
        {
            Key(InputCodes.BTN_TOUCH, 1), Abs(InputCodes.ABS_X, 100), Syn(),
            Syn(InputCodes.SYN_DROPPED), Abs(InputCodes.ABS_X, 999), Syn(),     // the incomplete frame after the drop
            Abs(InputCodes.ABS_X, 300), Syn(),
        })
            if (framer.Feed(e, out var s)) samples.Add(s);

        Assert.Equal(1, framer.DroppedReports);
        Assert.Equal(2, samples.Count);
        Assert.Equal(300, samples[1].X);
        Assert.False(samples[1].Touching);   // no line is drawn across the gap
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 0)]
    [InlineData(0, 15360, 24576, 799, 1279)]
    [InlineData(90, 0, 0, 0, 799)]          // panel top-left is the person's bottom-left
    [InlineData(90, 15360, 0, 0, 0)]        // panel top-right is the person's top-left
    [InlineData(180, 0, 0, 799, 1279)]
    [InlineData(270, 0, 0, 1279, 0)]
    public void Raw_coordinates_map_through_calibration_and_rotation(int rotation, int rawX, int rawY, double x, double y)
    {
        var mapper = new PenCoordinateMapper(new PenAxes(new AbsAxis(0, 30000), new AbsAxis(0, 30000), new AbsAxis(0, 2047)),
            new PenMapping { PanelWidth = 800, PanelHeight = 1280, Rotation = rotation, XMin = 0, XMax = 15360, YMin = 0, YMax = 24576 });
        var p = mapper.Map(new PenSample(rawX, rawY, 1024, null, null, true, true, 0));
        Assert.Equal(x, p.X, 0.01);
        Assert.Equal(y, p.Y, 0.01);
        Assert.Equal(0.5, p.Pressure, 0.01);
    }

    [Fact]
    public void Swap_and_invert_apply_before_rotation()
    {
        var mapper = new PenCoordinateMapper(new PenAxes(new AbsAxis(0, 1000), new AbsAxis(0, 1000), default),
            new PenMapping { PanelWidth = 1001, PanelHeight = 501, SwapXY = true, InvertX = true });
        var p = mapper.Map(new PenSample(250, 1000, 0, null, null, true, true, 0));
        // swap: u=1.0 (from y), v=0.25 (from x); invert x: u=0.
        Assert.Equal(0, p.X, 0.01);
        Assert.Equal(125, p.Y, 0.01);
        Assert.Equal(1, p.Pressure);   // no pressure axis: touching is full pressure
    }

    [Theory]
    [InlineData(0, 45, -15, 45.23, -15.08)]   // Wacom: ±64 units, 57 units per radian (≈ 1 unit per degree)
    [InlineData(90, 45, -15, -15.08, -45.23)] // panel turned a quarter: leaning to the panel's right is leaning up
    [InlineData(180, 45, -15, -45.23, 15.08)]
    [InlineData(270, 45, -15, 15.08, 45.23)]
    public void Tilt_is_reported_in_degrees_along_the_screen_the_person_sees(int rotation, int rawX, int rawY, double x, double y)
    {
        var tilt = new AbsAxis(-64, 63, Resolution: 57);
        var mapper = new PenCoordinateMapper(new PenAxes(new AbsAxis(0, 1000), new AbsAxis(0, 1000), new AbsAxis(0, 2047), tilt, tilt),
            new PenMapping { PanelWidth = 800, PanelHeight = 1280, Rotation = rotation });
        var p = mapper.Map(new PenSample(500, 500, 1024, rawX, rawY, true, true, 0));
        Assert.Equal(x, p.TiltX!.Value, 0.01);
        Assert.Equal(y, p.TiltY!.Value, 0.01);
    }

    [Fact]
    public void Tilt_without_a_resolution_spans_plus_minus_64_degrees_and_a_pen_without_tilt_reports_none()
    {
        var mapper = new PenCoordinateMapper(new PenAxes(new AbsAxis(0, 1000), new AbsAxis(0, 1000), new AbsAxis(0, 2047), new AbsAxis(0, 127), new AbsAxis(0, 127)),
            new PenMapping { PanelWidth = 1000, PanelHeight = 1000, SwapXY = true, InvertY = true });
        var p = mapper.Map(new PenSample(500, 500, 1024, 127, 0, true, true, 0));
        // Raw x = +64°, raw y = -64°; swapped: (-64, +64); y mirrored: (-64, -64).
        Assert.Equal((-64f, -64f), (p.TiltX!.Value, p.TiltY!.Value));

        var sim = new PenCoordinateMapper(PenAxes.ForSimulatedScreen(1280, 800), new PenMapping { PanelWidth = 1280, PanelHeight = 800 });
        var untilted = sim.Map(new PenSample(10, 10, 4095, null, null, true, true, 0));
        Assert.Equal(((float?)null, (float?)null), (untilted.TiltX, untilted.TiltY));
        var tilted = sim.Map(new PenSample(10, 10, 4095, PenAxes.SimulatedTiltValue(30), PenAxes.SimulatedTiltValue(-12.5), true, true, 0));
        Assert.Equal(30, tilted.TiltX!.Value, 0.01);
        Assert.Equal(-12.5, tilted.TiltY!.Value, 0.01);
    }

    [Fact]
    public async Task Reader_reassembles_records_split_across_reads_from_any_stream()
    {
        var bytes = Records(
            Key(InputCodes.BTN_TOUCH, 1), Abs(InputCodes.ABS_X, 5), Abs(InputCodes.ABS_Y, 6), Abs(InputCodes.ABS_PRESSURE, 4095), Syn(),
            Abs(InputCodes.ABS_X, 7), Syn(),
            Key(InputCodes.BTN_TOUCH, 0), Syn());
        using var stream = new TrickleStream(bytes, 7);
        using var reader = new PenReader(stream, new PenCoordinateMapper(PenAxes.ForSimulatedScreen(1280, 800), new PenMapping { PanelWidth = 1280, PanelHeight = 800 }), ownsTransport: false);
        var points = new List<PenPoint>();
        reader.Sample += points.Add;
        await reader.RunAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(3, points.Count);
        Assert.Equal((5f, 6f, 1f, true), (points[0].X, points[0].Y, points[0].Pressure, points[0].Touching));
        Assert.Equal(7f, points[1].X);
        Assert.False(points[2].Touching);
    }

    [Fact]
    public async Task The_pen_pipe_carries_records_from_a_writer_to_the_reader_and_stops_on_cancel()
    {
        using var dir = new TempDir();
        var path = dir.Combine("sim", "pen");
        PenPipe.Create(path);
        PenPipe.Create(path);   // again: a leftover pipe is replaced, not an error
        using var reader = new PenReader(PenPipe.OpenForReading(path), new PenCoordinateMapper(PenAxes.ForSimulatedScreen(1280, 800), new PenMapping { PanelWidth = 1280, PanelHeight = 800 }));
        var got = new TaskCompletionSource<PenPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        reader.Sample += p => { if (!p.Touching) got.TrySetResult(p); };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = reader.RunAsync(cts.Token);

        using (var writer = PenPipe.OpenForWriting(path))
        {
            PenPipe.Write(writer, [Key(InputCodes.BTN_TOUCH, 1), Abs(InputCodes.ABS_X, 640), Abs(InputCodes.ABS_Y, 400), Syn()]);
            PenPipe.Write(writer, [Key(InputCodes.BTN_TOUCH, 0), Abs(InputCodes.ABS_X, 1279), Syn()]);
        }
        var last = await got.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal((1279f, 400f), (last.X, last.Y));
        Assert.Equal(2, reader.SamplesRead);

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Writing_to_a_pipe_nobody_reads_fails_clearly()
    {
        using var dir = new TempDir();
        var path = dir.Combine("pen");
        PenPipe.Create(path);
        var e = Assert.Throws<PenDeviceException>(() => PenPipe.OpenForWriting(path));
        Assert.Contains("no reader", e.Message);
    }

    [Fact]
    public void A_pen_name_that_no_device_has_is_reported_absent_with_what_was_found()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<PenDeviceException>(() => EvdevPen.Open("Wacom I2C Digitizer Pen", dir.Path));
        Assert.True(e.IsAbsent);
        Assert.Contains("Wacom I2C Digitizer Pen", e.Message);
        var missing = Assert.Throws<PenDeviceException>(() => EvdevPen.Open(dir.Combine("event9")));
        Assert.True(missing.IsAbsent);
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(chunk, buffer.Length)]);
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(chunk, count));
    }
}
