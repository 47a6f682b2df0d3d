using Appliance.Core.Board;
using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Adapters.Pen;

namespace Appliance.Host.Tests.Composition;

public sealed class PenMappingTests
{
    /// <summary>The rk3568-sign10 profile's screen and pen: an 800x1280 panel rotated 90°, an EMR pen calibrated 0..15360 x 0..24576.</summary>
    private static readonly BoardProfile Board = BoardProfileLoader.Parse("test.json", """
        { "name": "t", "model": "T", "screen": { "device": "/dev/fb0", "width": 800, "height": 1280, "rotation": 90 },
          "pen": { "device": "Wacom I2C Digitizer Pen", "calibration": { "xMin": 0, "xMax": 15360, "yMin": 0, "yMax": 24576 } },
          "fonts": { "cjk": "/font.ttc" } }
        """);

    private static PenSample Raw(int x, int y) => new(x, y, 2048, null, null, Touching: true, InRange: true, TimestampMicroseconds: 0);

    [Fact]
    public void The_pen_spans_the_framebuffer_actually_opened_when_the_panel_is_not_the_profiles_size()
    {
        // The panel reports 600x1024 of its own; ScreenFeature draws at that size, so the pen must map onto it.
        using var panel = new MemoryFramebuffer(600, 1024);
        var mapper = new PenCoordinateMapper(new PenAxes(new AbsAxis(0, 15360), new AbsAxis(0, 24576), new AbsAxis(0, 4095)),
            PenService.MappingFor(Board, panel));

        Assert.Equal((1024, 600), (mapper.ScreenWidth, mapper.ScreenHeight));
        var centre = mapper.Map(Raw(7680, 12288));
        Assert.Equal(511.5, centre.X, 0.5);
        Assert.Equal(299.5, centre.Y, 0.5);
        foreach (var (x, y) in new[] { (0, 0), (15360, 0), (0, 24576), (15360, 24576) })
        {
            var corner = mapper.Map(Raw(x, y));
            Assert.Contains(Math.Round(corner.X), new double[] { 0, 1023 });
            Assert.Contains(Math.Round(corner.Y), new double[] { 0, 599 });
        }
    }
}
