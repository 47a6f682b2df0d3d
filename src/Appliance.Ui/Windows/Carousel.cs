using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// The advertising carousel (§9.18) as the base layer: each picture fitted to the screen (letterboxed on black),
/// the next one every interval, until disposed.
/// </summary>
internal sealed class Carousel : IBaseLayer, IDisposable
{
    private readonly int _width, _height;
    private readonly IReadOnlyList<SKBitmap> _pictures;
    private readonly Compositor _compositor;
    private readonly Timer _timer;
    private bool _disposed;

    public Carousel(int width, int height, IReadOnlyList<SKBitmap> pictures, TimeSpan interval, Compositor compositor)
    {
        _width = width;
        _height = height;
        _pictures = pictures;
        _compositor = compositor;
        _timer = new Timer(_ => Advance(), null, interval, interval);
    }

    public int Current { get; private set; }

    private void Advance()
    {
        lock (_compositor.Gate)
        {
            if (_disposed) return;
            Current = (Current + 1) % _pictures.Count;
            _compositor.Invalidate(_compositor.Screen);
            _compositor.Render();
        }
    }

    public void Draw(SKCanvas canvas, PixelRect dirty)
    {
        canvas.Clear(SKColors.Black);
        var picture = _pictures[Current];
        var scale = Math.Min(_width / (float)picture.Width, _height / (float)picture.Height);
        var w = picture.Width * scale; var h = picture.Height * scale;
        var dest = SKRect.Create((_width - w) / 2, (_height - h) / 2, w, h);
        using var paint = new SKPaint { IsAntialias = true };
        canvas.DrawPixels(picture, dest, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), paint);
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
        foreach (var p in _pictures) p.Dispose();
    }
}
