using Appliance.Devices.Pen;

namespace Appliance.TestSupport;

/// <summary>
/// Writes pen strokes into the sim board's pen pipe (<c>STATE/sim/pen</c>) as 24-byte evdev records, exactly as the
/// /sim/ page does; the terminal's real evdev driver reads them.
/// </summary>
public sealed class SimPen : IDisposable
{
    private readonly Stream _pipe;
    private long _clock = 1_700_000_000_000_000;

    private SimPen(Stream pipe) => _pipe = pipe;

    public static async Task<SimPen> OpenAsync(string stateDir)
    {
        var path = Path.Combine(stateDir, "sim", "pen");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!File.Exists(path)) await Task.Delay(20, timeout.Token);
        return new SimPen(PenPipe.OpenForWriting(path));
    }

    /// <summary>One stroke through <paramref name="points"/> (screen pixels, pressure 0..1), pen down to pen up.</summary>
    public void Stroke(params (double X, double Y, double Pressure)[] points)
    {
        var events = new List<InputEvent>();
        for (var i = 0; i < points.Length; i++)
        {
            _clock += 5_000;
            events.Add(InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_X, (int)Math.Round(points[i].X)));
            events.Add(InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_Y, (int)Math.Round(points[i].Y)));
            events.Add(InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, (int)Math.Round(points[i].Pressure * 4095)));
            if (i == 0)
            {
                events.Add(InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, 1));
                events.Add(InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 1));
            }
            events.Add(InputEvent.At(_clock, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        }
        _clock += 5_000;
        events.Add(InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 0));
        events.Add(InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 0));
        events.Add(InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, 0));
        events.Add(InputEvent.At(_clock, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        // PIPE_BUF atomicity is per write: whole records in chunks.
        for (var i = 0; i < events.Count; i += 150)
            PenPipe.Write(_pipe, events.Skip(i).Take(150).ToArray());
    }

    /// <summary>A straight line sampled every 4 px.</summary>
    public void Line(double x0, double y0, double x1, double y1, double pressure = 0.6)
    {
        var n = Math.Max(2, (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) / 4) + 1);
        Stroke([.. Enumerable.Range(0, n).Select(i => (x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1), pressure))]);
    }

    public void Tap(double x, double y) => Stroke((x, y, 0.5));

    /// <summary>Pen down at one point, held still for <paramref name="hold"/> (no samples meanwhile, as a real pen at rest), then up.</summary>
    public async Task PressAndHoldAsync(double x, double y, TimeSpan hold, CancellationToken cancel)
    {
        _clock += 5_000;
        PenPipe.Write(_pipe, [
            InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_X, (int)Math.Round(x)),
            InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_Y, (int)Math.Round(y)),
            InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 2048),
            InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, 1),
            InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 1),
            InputEvent.At(_clock, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0)]);
        await Task.Delay(hold, cancel);
        _clock += (long)hold.TotalMicroseconds;
        PenPipe.Write(_pipe, [
            InputEvent.At(_clock, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 0),
            InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 0),
            InputEvent.At(_clock, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, 0),
            InputEvent.At(_clock, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0)]);
    }

    public void Dispose() => _pipe.Dispose();
}
