using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.Devices.Pen;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Wire;
using Appliance.Ui;
using Microsoft.AspNetCore.Http;

namespace Appliance.SimBoard;

/// <summary>
/// The simulated terminal's screen on the admin port (sim board only):
/// <c>GET /sim/screen.png</c> — the framebuffer now, with an ETag so a viewer polls cheaply (304 when unchanged);
/// <c>GET /sim/</c> — a page showing the screen live that signs with mouse, touch or stylus;
/// <c>POST /sim/pen</c> — pointer samples from that page, written as <c>input_event</c> records into the same pen pipe the
/// evdev driver reads (so the page exercises the real driver path). A sample's <c>t</c> (the PointerEvent's
/// timeStamp, milliseconds) spaces the records' times as the person drew them, across posts; tilt (degrees, a stylus)
/// goes out as ABS_TILT_X/Y.
/// </summary>
public sealed class SimScreenEndpoints(ScreenService screen, string penPipePath) : IAdminRoutes, IDisposable
{
    /// <summary>More samples than a browser batches in a second at 1 kHz is not a page talking.</summary>
    private const int MaxSamplesPerPost = 2000;
    private readonly Lock _pipeGate = new();
    /// <summary>Page times further than this from the terminal's clock mean a new page (or a reloaded one): re-anchor.</summary>
    private static readonly long MaxPageClockSkewMicroseconds = 5_000_000;
    private Stream? _pipe;
    private bool _penDown;
    private long _lastStamp;
    private (double PageMillis, long Stamp)? _anchor;

    public void Map(Router router) => router
        .MapGet("/sim/screen.png", ScreenPng)
        .MapGet("/sim/", Page)
        .MapGet("/sim", context => { context.Response.Redirect("/sim/"); return Task.CompletedTask; })
        .MapPost("/sim/pen", Pen);

    private async Task ScreenPng(HttpContext context)
    {
        var version = screen.FrameVersion;
        var etag = "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var png = screen.CapturePng();
        context.Response.ContentType = "image/png";
        context.Response.ContentLength = png.Length;
        await context.Response.Body.WriteAsync(png, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task Page(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var page = typeof(SimScreenEndpoints).Assembly.GetManifestResourceStream("Appliance.SimBoard.SimScreenPage.html")
            ?? throw new InvalidOperationException("the /sim/ page resource is missing from the build");
        await page.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task Pen(HttpContext context)
    {
        SimPenPost? post;
        try
        {
            post = await JsonSerializer.DeserializeAsync(context.Request.Body, SimJson.Default.SimPenPost, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await AdminResults.Error(context, 400, $"pen samples are {WireJson.Describe(e)}").ConfigureAwait(false);
            return;
        }
        var samples = post?.Samples ?? [];
        if (samples.Count > MaxSamplesPerPost)
        {
            await AdminResults.Error(context, 413, $"at most {MaxSamplesPerPost} samples per post, got {samples.Count}").ConfigureAwait(false);
            return;
        }
        foreach (var s in samples)
        {
            if (!double.IsFinite(s.X) || !double.IsFinite(s.Y) || s.X < 0 || s.Y < 0 || s.X >= screen.Width || s.Y >= screen.Height)
            {
                await AdminResults.Error(context, 400, $"sample ({s.X}, {s.Y}) lies outside the {screen.Width}x{screen.Height} screen").ConfigureAwait(false);
                return;
            }
            if (!double.IsFinite(s.Pressure) || s.Pressure is < 0 or > 1)
            {
                await AdminResults.Error(context, 400, $"pressure {s.Pressure} is outside 0..1").ConfigureAwait(false);
                return;
            }
            if (s.T is { } t && (!double.IsFinite(t) || t < 0))
            {
                await AdminResults.Error(context, 400, $"time {t} is not a PointerEvent timeStamp (milliseconds, 0 or more)").ConfigureAwait(false);
                return;
            }
            if (s.TiltX is { } tx && (!double.IsFinite(tx) || tx is < -90 or > 90) || s.TiltY is { } ty && (!double.IsFinite(ty) || ty is < -90 or > 90))
            {
                await AdminResults.Error(context, 400, $"tilt ({s.TiltX}, {s.TiltY}) is outside -90..90 degrees").ConfigureAwait(false);
                return;
            }
        }
        try
        {
            lock (_pipeGate) WriteSamples(samples);
        }
        catch (IOException)
        {
            lock (_pipeGate) { _pipe?.Dispose(); _pipe = null; }
            await AdminResults.Error(context, 409, "the pen pipe could not be written: is the pen driver reading it?").ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private void WriteSamples(List<SimPenSample> samples)
    {
        _pipe ??= PenPipe.OpenForWriting(penPipePath);
        var events = new List<InputEvent>(samples.Count * 8);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        foreach (var s in samples)
        {
            var stamp = Stamp(s.T, now);
            events.Add(InputEvent.At(stamp, InputCodes.EV_ABS, InputCodes.ABS_X, (int)Math.Round(s.X)));
            events.Add(InputEvent.At(stamp, InputCodes.EV_ABS, InputCodes.ABS_Y, (int)Math.Round(s.Y)));
            events.Add(InputEvent.At(stamp, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, s.Down ? (int)Math.Round(s.Pressure * 4095) : 0));
            if (s.TiltX is { } tx) events.Add(InputEvent.At(stamp, InputCodes.EV_ABS, InputCodes.ABS_TILT_X, PenAxes.SimulatedTiltValue(tx)));
            if (s.TiltY is { } ty) events.Add(InputEvent.At(stamp, InputCodes.EV_ABS, InputCodes.ABS_TILT_Y, PenAxes.SimulatedTiltValue(ty)));
            if (s.Down != _penDown)
            {
                events.Add(InputEvent.At(stamp, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, s.Down ? 1 : 0));
                events.Add(InputEvent.At(stamp, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, s.Down ? 1 : 0));
                _penDown = s.Down;
            }
            events.Add(InputEvent.At(stamp, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        }
        PenPipe.Write(_pipe, [.. events]);
    }

    /// <summary>
    /// The record time (µs) of one sample: the page's own time, anchored to the terminal's clock at its first sample, so
    /// records are as far apart as the pointer events were; never earlier than the record before. Without <c>t</c>: now.
    /// </summary>
    private long Stamp(double? pageMillis, long now)
    {
        var stamp = now;
        if (pageMillis is { } t)
        {
            if (_anchor is { } a) stamp = a.Stamp + (long)Math.Round((t - a.PageMillis) * 1000);
            if (_anchor is null || stamp < _lastStamp || Math.Abs(stamp - now) > MaxPageClockSkewMicroseconds)
            {
                stamp = Math.Max(now, _lastStamp);
                _anchor = (t, stamp);
            }
        }
        stamp = Math.Max(stamp, _lastStamp);
        _lastStamp = stamp;
        return stamp;
    }

    public void Dispose()
    {
        lock (_pipeGate) _pipe?.Dispose();
    }
}

/// <summary>What the /sim/ page posts: pointer samples in screen pixels, pressure 0..1, down = touching.</summary>
public sealed record SimPenPost(List<SimPenSample>? Samples);

/// <param name="T">The PointerEvent's timeStamp (milliseconds, the page's clock); absent = "now".</param>
/// <param name="TiltX">Degrees, -90..90, as PointerEvent.tiltX (a stylus); absent = the pen reports no tilt.</param>
public sealed record SimPenSample(double X, double Y, double Pressure, bool Down, double? T = null, double? TiltX = null, double? TiltY = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SimPenPost))]
public sealed partial class SimJson : JsonSerializerContext;
