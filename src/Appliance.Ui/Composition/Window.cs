using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Composition;

/// <summary>What the pen did, in window-local pixels.</summary>
internal readonly record struct PenInput(float X, float Y, float Pressure, float? TiltX, float? TiltY, bool Touching, long TimestampMicroseconds);

/// <summary>
/// An overlay window: a rectangle of the screen that draws itself and takes pen input while on top at the pen's
/// position. All members are called with the compositor's lock held.
/// </summary>
internal abstract class Window
{
    protected Window(PixelRect bounds) => Bounds = bounds;

    /// <summary>Screen pixels.</summary>
    public PixelRect Bounds { get; }

    /// <summary>Higher draws above and is hit first.</summary>
    public abstract int Layer { get; }

    public Compositor? Owner { get; set; }

    /// <summary>Draws the window with the canvas translated to its top-left; <paramref name="dirty"/> is window-local.</summary>
    public abstract void Draw(SKCanvas canvas, PixelRect dirty);

    /// <summary>Whether the point (window-local) belongs to the window for hit-testing; transparent parts can say no.</summary>
    public virtual bool Hit(float x, float y) => true;

    public virtual void OnPen(in PenInput input) { }

    /// <summary>The window's buttons, window-local (the screen's model of what can be tapped).</summary>
    public virtual IReadOnlyList<Windows.ButtonView> Buttons => [];

    /// <summary>The window was taken off the screen.</summary>
    public virtual void OnClosed() { }

    protected void Invalidate(PixelRect local) => Owner?.Invalidate(local.Offset(Bounds.Left, Bounds.Top));
    protected void InvalidateAll() => Owner?.Invalidate(Bounds);
}

/// <summary>The full-screen layer under every window: the idle screen or the advertising carousel.</summary>
internal interface IBaseLayer
{
    void Draw(SKCanvas canvas, PixelRect dirty);
}
