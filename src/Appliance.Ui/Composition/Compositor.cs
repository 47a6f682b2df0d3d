using System.Diagnostics;
using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Composition;

/// <summary>
/// Owns the screen: a back buffer in logical orientation, one base layer and overlay windows in z-order.
/// Changes mark dirty rectangles; <see cref="Render"/> redraws only those (base, then every window crossing them,
/// bottom to top) and presents them to the framebuffer. Pen input goes to the topmost window under the pen,
/// which keeps it until the pen lifts. Everything runs under <see cref="Gate"/>.
/// </summary>
internal sealed class Compositor : IDisposable
{
    private readonly FramebufferPresenter _presenter;
    private readonly SKBitmap _back;
    private readonly SKCanvas _canvas;
    private readonly List<Window> _windows = [];
    private PixelRect _dirty;
    private IBaseLayer _base;
    private Window? _captured;
    private long _frames;

    public Compositor(FramebufferPresenter presenter, IBaseLayer baseLayer)
    {
        _presenter = presenter;
        _base = baseLayer;
        Width = presenter.Width;
        Height = presenter.Height;
        _back = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Bgra8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_back);
        _dirty = Screen;
    }

    public Lock Gate { get; } = new();
    private bool _disposed;
    public int Width { get; }
    public int Height { get; }
    public PixelRect Screen => new(0, 0, Width, Height);
    public long Frames => Interlocked.Read(ref _frames);
    public IReadOnlyList<Window> Windows => _windows;

    /// <summary>Raised (under the lock) after pixels reached the framebuffer.</summary>
    public event Action<PixelRect>? Presented;

    public IBaseLayer BaseLayer
    {
        get => _base;
        set { _base = value; Invalidate(Screen); }
    }

    public void Add(Window window)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        window.Owner = this;
        var index = _windows.FindLastIndex(w => w.Layer <= window.Layer);
        _windows.Insert(index + 1, window);
        Invalidate(window.Bounds);
    }

    public bool Remove(Window window)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        if (!_windows.Remove(window)) return false;
        if (_captured == window) _captured = null;
        Invalidate(window.Bounds);
        window.OnClosed();
        window.Owner = null;
        return true;
    }

    public void Invalidate(PixelRect rect) => _dirty = _dirty.Union(rect.Intersect(Screen));

    /// <summary>Routes one pen sample (screen pixels) and renders what it changed.</summary>
    public void HandlePen(in PenPoint p)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        if (_disposed) return;
        var target = _captured;
        if (target is null || !_windows.Contains(target)) target = WindowAt(p.X, p.Y);
        _captured = p.Touching ? target : null;
        target?.OnPen(new PenInput(p.X - target.Bounds.Left, p.Y - target.Bounds.Top, p.Pressure, p.TiltX, p.TiltY, p.Touching, p.TimestampMicroseconds));
        Render();
    }

    /// <summary>The topmost window that takes the pen at this screen point, or null (the base layer).</summary>
    public Window? WindowAt(float x, float y)
    {
        for (var i = _windows.Count - 1; i >= 0; i--)
        {
            var w = _windows[i];
            if (w.Bounds.Contains(x, y) && w.Hit(x - w.Bounds.Left, y - w.Bounds.Top)) return w;
        }
        return null;
    }

    /// <summary>Redraws and presents the dirty region.</summary>
    public void Render()
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        if (_disposed) return;
        var dirty = _dirty;
        if (dirty.IsEmpty) return;
        _dirty = default;
        _canvas.Save();
        _canvas.ClipRect(dirty.ToSk());
        _base.Draw(_canvas, dirty);
        foreach (var w in _windows)
        {
            var local = dirty.Intersect(w.Bounds);
            if (local.IsEmpty) continue;
            _canvas.Save();
            _canvas.Translate(w.Bounds.Left, w.Bounds.Top);
            w.Draw(_canvas, local.Offset(-w.Bounds.Left, -w.Bounds.Top));
            _canvas.Restore();
        }
        _canvas.Restore();
        _canvas.Flush();
        _presenter.Present(_back.GetPixels(), _back.RowBytes, dirty.Left, dirty.Top, dirty.Width, dirty.Height);
        Interlocked.Increment(ref _frames);
        Presented?.Invoke(dirty);
    }

    /// <summary>What the panel shows now, read back from the framebuffer, as PNG.</summary>
    public byte[] CaptureFramebufferPng()
    {
        using var shot = ReadBackFramebuffer();
        using var data = shot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>What the panel shows now, read back from the framebuffer, as BGRA rows of <see cref="Width"/> × 4 bytes.</summary>
    public byte[] CaptureFramebufferBgra()
    {
        using var shot = ReadBackFramebuffer();
        return shot.GetPixelSpan().ToArray();
    }

    private SKBitmap ReadBackFramebuffer()
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        var shot = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Bgra8888, SKAlphaType.Opaque));
        _presenter.ReadBack(shot.GetPixels(), shot.RowBytes);
        return shot;
    }

    /// <summary>
    /// Frees the back buffer. Call under <see cref="Gate"/>: a window's task may still be finishing on another thread
    /// (its <c>finally</c> renders once more) or a pen sample arriving; after this both draw nothing.
    /// </summary>
    public void Dispose()
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        if (_disposed) return;
        _disposed = true;
        _canvas.Dispose();
        _back.Dispose();
    }
}
