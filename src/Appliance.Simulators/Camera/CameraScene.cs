using Appliance.Imaging.Jpeg;
using SkiaSharp;

namespace Appliance.Simulators.Camera;

/// <summary>
/// What the sim board's cameras see, drawn with SkiaSharp: for the document camera a printed page with
/// text lying on a wooden desk, for the face cameras a head and shoulders against a wall; both with a
/// running clock and a frame counter so every frame differs and a viewer sees it move. The still part
/// is drawn once per size; each frame adds the clock and a slowly sliding pen.
/// </summary>
public sealed class CameraScene(string role, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private SKImage? _background;
    private (int W, int H) _backgroundSize;

    public string Role { get; } = role;

    /// <summary>One frame as RGBA pixels.</summary>
    public byte[] RenderRgba(int width, int height, long sequence)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var pixels = new byte[info.BytesSize];
        unsafe
        {
            fixed (byte* p = pixels)
            {
                using var surface = SKSurface.Create(info, (nint)p, info.RowBytes);
                Draw(surface.Canvas, width, height, sequence);
                surface.Flush();
            }
        }
        return pixels;
    }

    /// <summary>One frame as packed YUYV, as a USB camera's raw mode delivers it (BT.601, limited range).</summary>
    public byte[] RenderYuyv(int width, int height, long sequence) => YuyvPixels.FromRgba(RenderRgba(width, height, sequence), width, height);

    /// <summary>One frame as a JPEG, as an MJPEG camera delivers it.</summary>
    public byte[] RenderJpeg(int width, int height, long sequence, int quality = 80) =>
        JpegCodec.Shared.Encode(RenderRgba(width, height, sequence), width, height, JpegPixels.Rgba, quality);

    private void Draw(SKCanvas canvas, int w, int h, long sequence)
    {
        canvas.DrawImage(Background(w, h), 0, 0, SKSamplingOptions.Default);
        var unit = Math.Min(w, h) / 100f;
        var now = _time.GetLocalNow();

        // A pen sliding back and forth across the desk.
        var t = (sequence % 120) / 120f;
        var x = w * (0.1f + 0.8f * (t < 0.5f ? t * 2 : 2 - t * 2));
        using (var pen = new SKPaint { Color = new SKColor(20, 40, 140), IsAntialias = true, StrokeWidth = unit * 1.6f, StrokeCap = SKStrokeCap.Round })
            canvas.DrawLine(x, h * 0.9f, x + unit * 14, h * 0.84f, pen);

        // The clock: a dial with hands and the time written under it.
        var cx = w - unit * 14;
        var cy = unit * 14;
        var r = unit * 10;
        using var face = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var rim = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = unit * 0.8f };
        canvas.DrawCircle(cx, cy, r, face);
        canvas.DrawCircle(cx, cy, r, rim);
        DrawHand(canvas, cx, cy, r * 0.5f, (now.Hour % 12 + now.Minute / 60f) / 12f, unit * 1.2f, SKColors.Black);
        DrawHand(canvas, cx, cy, r * 0.8f, (now.Minute + now.Second / 60f) / 60f, unit * 0.8f, SKColors.Black);
        DrawHand(canvas, cx, cy, r * 0.9f, (now.Second + now.Millisecond / 1000f) / 60f, unit * 0.3f, SKColors.Red);
        using var font = new SKFont(SKTypeface.Default, unit * 4);
        using var ink = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText($"{now:HH:mm:ss}  #{sequence}", unit * 2, h - unit * 2, SKTextAlign.Left, font, ink);
    }

    private static void DrawHand(SKCanvas canvas, float cx, float cy, float length, float turns, float width, SKColor color)
    {
        var angle = turns * 2 * MathF.PI - MathF.PI / 2;
        using var paint = new SKPaint { Color = color, IsAntialias = true, StrokeWidth = width, StrokeCap = SKStrokeCap.Round };
        canvas.DrawLine(cx, cy, cx + length * MathF.Cos(angle), cy + length * MathF.Sin(angle), paint);
    }

    private SKImage Background(int w, int h)
    {
        lock (_gate)
        {
            if (_background is not null && _backgroundSize == (w, h)) return _background;
            _background?.Dispose();
            using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
            if (Role == "document") DrawDesk(surface.Canvas, w, h);
            else DrawPortrait(surface.Canvas, w, h);
            _background = surface.Snapshot();
            _backgroundSize = (w, h);
            return _background;
        }
    }

    private static void DrawDesk(SKCanvas canvas, int w, int h)
    {
        canvas.Clear(new SKColor(120, 78, 44));
        using (var grain = new SKPaint { Color = new SKColor(100, 62, 34), StrokeWidth = Math.Max(1, h / 300f), IsAntialias = true })
            for (var y = h / 40f; y < h; y += h / 23f)
                canvas.DrawLine(0, y, w, y + h / 60f, grain);
        // An A4 page (1:1.414) lying slightly turned in the middle of the view.
        var pageH = h * 0.8f;
        var pageW = pageH / 1.414f;
        canvas.Save();
        canvas.Translate(w / 2f, h / 2f);
        canvas.RotateDegrees(-4);
        var page = new SKRect(-pageW / 2, -pageH / 2, pageW / 2, pageH / 2);
        using (var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 90), IsAntialias = true })
            canvas.DrawRect(page with { Left = page.Left + pageW / 60, Right = page.Right + pageW / 60, Top = page.Top + pageW / 60, Bottom = page.Bottom + pageW / 60 }, shadow);
        using (var paper = new SKPaint { Color = new SKColor(250, 250, 246), IsAntialias = true })
            canvas.DrawRect(page, paper);
        using var ink = new SKPaint { Color = new SKColor(30, 30, 30), IsAntialias = true };
        using var title = new SKFont(SKTypeface.Default, pageW / 14);
        using var body = new SKFont(SKTypeface.Default, pageW / 30);
        canvas.DrawText("SERVICE AGREEMENT", page.Left + pageW / 10, page.Top + pageH / 9, SKTextAlign.Left, title, ink);
        string[] lines =
        [
            "1. The customer agrees to the terms below.",
            "2. Fees are payable within thirty days.",
            "3. This agreement is governed by the law",
            "   of the place where it is signed.",
            "4. Either party may end it with notice.",
        ];
        for (var i = 0; i < lines.Length; i++)
            canvas.DrawText(lines[i], page.Left + pageW / 10, page.Top + pageH / 5 + i * pageH / 16, SKTextAlign.Left, body, ink);
        using var rule = new SKPaint { Color = new SKColor(160, 160, 160), StrokeWidth = Math.Max(1, pageH / 400) };
        for (var i = 0; i < 10; i++)
        {
            var y = page.Top + pageH * 0.55f + i * pageH / 28;
            canvas.DrawLine(page.Left + pageW / 10, y, page.Right - pageW / 10, y, rule);
        }
        canvas.DrawText("Signature: ______________", page.Left + pageW / 10, page.Bottom - pageH / 12, SKTextAlign.Left, body, ink);
        canvas.Restore();
    }

    private static void DrawPortrait(SKCanvas canvas, int w, int h)
    {
        canvas.Clear(new SKColor(200, 210, 220));
        using var skin = new SKPaint { Color = new SKColor(234, 192, 160), IsAntialias = true };
        using var cloth = new SKPaint { Color = new SKColor(40, 60, 110), IsAntialias = true };
        using var dark = new SKPaint { Color = new SKColor(40, 30, 25), IsAntialias = true };
        canvas.DrawOval(w / 2f, h * 1.05f, w * 0.32f, h * 0.35f, cloth);
        canvas.DrawOval(w / 2f, h * 0.45f, h * 0.2f, h * 0.26f, skin);
        canvas.DrawOval(w / 2f - h * 0.075f, h * 0.41f, h * 0.025f, h * 0.015f, dark);
        canvas.DrawOval(w / 2f + h * 0.075f, h * 0.41f, h * 0.025f, h * 0.015f, dark);
        canvas.DrawOval(w / 2f, h * 0.57f, h * 0.06f, h * 0.015f, dark);
    }
}
