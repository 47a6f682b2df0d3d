using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.Devices.Pen;
using Appliance.Protocols.Http;
using Appliance.Ui;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Admin;

/// <summary>
/// The simulated terminal's screen on the admin port (sim board only):
/// <c>GET /sim/screen.png</c> — the framebuffer now, with an ETag so a viewer polls cheaply (304 when unchanged);
/// <c>GET /sim/</c> — a page showing the screen live that signs with mouse, touch or stylus;
/// <c>POST /sim/pen</c> — pointer samples from that page, written as <c>input_event</c> records into the same pen pipe the
/// evdev driver reads (so the page exercises the real driver path).
/// </summary>
public sealed class SimScreenEndpoints(ScreenService screen, string penPipePath) : IAdminRoutes, IDisposable
{
    /// <summary>More samples than a browser batches in a second at 1 kHz is not a page talking.</summary>
    private const int MaxSamplesPerPost = 2000;
    private readonly Lock _pipeGate = new();
    private Stream? _pipe;
    private bool _penDown;

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
        await using var page = typeof(SimScreenEndpoints).Assembly.GetManifestResourceStream("Appliance.Protocols.SimScreenPage.html")
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
            await AdminResults.Error(context, 400, $"pen samples are not valid JSON: {e.Message}").ConfigureAwait(false);
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
        }
        try
        {
            lock (_pipeGate) WriteSamples(samples);
        }
        catch (IOException e)
        {
            lock (_pipeGate) { _pipe?.Dispose(); _pipe = null; }
            await AdminResults.Error(context, 409, e.Message).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private void WriteSamples(List<SimPenSample> samples)
    {
        _pipe ??= PenPipe.OpenForWriting(penPipePath);
        var events = new List<InputEvent>(samples.Count * 6);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        foreach (var s in samples)
        {
            events.Add(InputEvent.At(now, InputCodes.EV_ABS, InputCodes.ABS_X, (int)Math.Round(s.X)));
            events.Add(InputEvent.At(now, InputCodes.EV_ABS, InputCodes.ABS_Y, (int)Math.Round(s.Y)));
            events.Add(InputEvent.At(now, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, s.Down ? (int)Math.Round(s.Pressure * 4095) : 0));
            if (s.Down != _penDown)
            {
                events.Add(InputEvent.At(now, InputCodes.EV_KEY, InputCodes.BTN_TOOL_PEN, s.Down ? 1 : 0));
                events.Add(InputEvent.At(now, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, s.Down ? 1 : 0));
                _penDown = s.Down;
            }
            events.Add(InputEvent.At(now, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        }
        PenPipe.Write(_pipe, [.. events]);
    }

    public void Dispose()
    {
        lock (_pipeGate) _pipe?.Dispose();
    }
}

/// <summary>What the /sim/ page posts: pointer samples in screen pixels, pressure 0..1, down = touching.</summary>
public sealed record SimPenPost(List<SimPenSample>? Samples);

public sealed record SimPenSample(double X, double Y, double Pressure, bool Down);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SimPenPost))]
public sealed partial class SimJson : JsonSerializerContext;
