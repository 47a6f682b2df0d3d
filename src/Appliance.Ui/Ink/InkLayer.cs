using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Ink;

/// <summary>
/// Ink on a transparent bitmap the size of the sign window, drawn as samples arrive: each new sample adds a
/// quadratic segment between the midpoints of the last three samples (a smooth curve through them), stroked
/// anti-aliased with a width that follows pressure around the nominal pen width. Drawing is clipped to where
/// ink is allowed; every call returns the rectangle it changed.
/// </summary>
internal sealed class InkLayer : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;
    private readonly SKPaint _paint;
    private readonly SKPathBuilder _path = new();
    private readonly float _penWidth;
    private (float X, float Y, float W) _p0, _p1;
    private int _count;

    public InkLayer(int width, int height, float penWidth, SKColor color, SKRegion allowed)
    {
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        _bitmap.Erase(SKColors.Transparent);
        _canvas = new SKCanvas(_bitmap);
        _canvas.ClipRegion(allowed);
        _penWidth = Math.Max(0.5f, penWidth);
        _paint = new SKPaint
        {
            Color = color, IsAntialias = true, Style = SKPaintStyle.Stroke,
            StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round,
        };
    }

    public SKBitmap Bitmap => _bitmap;

    /// <summary>Draws the ink at (0, 0), borrowing its pixels (SkiaConversions.DrawPixels says why not DrawBitmap).</summary>
    public void DrawTo(SKCanvas canvas) =>
        canvas.DrawPixels(_pixmap ??= _bitmap.PeekPixels(), SKRect.Create(_bitmap.Width, _bitmap.Height), NearestSampling);

    private static readonly SKSamplingOptions NearestSampling = new(SKFilterMode.Nearest);
    private SKPixmap? _pixmap;
    public bool IsEmpty { get; private set; } = true;

    /// <summary>Width for a pressure 0..1: half the pen width at the lightest touch, 1.5× at full pressure.</summary>
    public float WidthFor(float pressure) => _penWidth * (0.5f + Math.Clamp(pressure, 0f, 1f));

    public PixelRect Begin(float x, float y, float pressure)
    {
        _p0 = _p1 = (x, y, WidthFor(pressure));
        _count = 1;
        // A dot, so a tap leaves a mark; the stroke paints over it as the pen moves.
        return Dot(x, y, _p0.W);
    }

    public PixelRect Add(float x, float y, float pressure)
    {
        if (_count == 0) return Begin(x, y, pressure);
        var p = (X: x, Y: y, W: WidthFor(pressure));
        PixelRect changed;
        if (_count == 1)
        {
            var m = Mid(_p1, p);
            changed = Segment(_p1, null, m);
        }
        else
        {
            changed = Segment(Mid(_p0, _p1), _p1, Mid(_p1, p));
        }
        _p0 = _p1;
        _p1 = p;
        _count++;
        return changed;
    }

    /// <summary>Pen lifted: the curve runs on to the last sample.</summary>
    public PixelRect End()
    {
        var changed = _count >= 2 ? Segment(Mid(_p0, _p1), null, _p1) : default;
        _count = 0;
        return changed;
    }

    public void Clear()
    {
        _canvas.Clear(SKColors.Transparent);
        _count = 0;
        IsEmpty = true;
    }

    /// <summary>The ink on a transparent background.</summary>
    public byte[] EncodePng()
    {
        _canvas.Flush();
        using var data = _bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static (float X, float Y, float W) Mid((float X, float Y, float W) a, (float X, float Y, float W) b) =>
        ((a.X + b.X) / 2, (a.Y + b.Y) / 2, (a.W + b.W) / 2);

    private PixelRect Segment((float X, float Y, float W) from, (float X, float Y, float W)? control, (float X, float Y, float W) to)
    {
        _path.Reset();
        _path.MoveTo(from.X, from.Y);
        if (control is { } c) _path.QuadTo(c.X, c.Y, to.X, to.Y);
        else _path.LineTo(to.X, to.Y);
        _paint.StrokeWidth = (from.W + to.W) / 2;
        using var path = _path.Snapshot();
        _canvas.DrawPath(path, _paint);
        IsEmpty = false;
        var bounds = path.Bounds;
        bounds.Inflate(_paint.StrokeWidth / 2 + 2, _paint.StrokeWidth / 2 + 2);
        return bounds.ToPixelRect();
    }

    private PixelRect Dot(float x, float y, float width)
    {
        _paint.Style = SKPaintStyle.Fill;
        _canvas.DrawCircle(x, y, width / 2, _paint);
        _paint.Style = SKPaintStyle.Stroke;
        IsEmpty = false;
        var r = width / 2 + 2;
        return new SKRect(x - r, y - r, x + r, y + r).ToPixelRect();
    }

    public void Dispose()
    {
        _pixmap?.Dispose();
        _path.Dispose();
        _paint.Dispose();
        _canvas.Dispose();
        _bitmap.Dispose();
    }
}
