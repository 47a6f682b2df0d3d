namespace Appliance.Core.Screen;

/// <summary>A rectangle in whole screen (or window) pixels: left/top inclusive, right/bottom exclusive.</summary>
public readonly record struct PixelRect(int Left, int Top, int Right, int Bottom)
{
    public int Width => Right - Left;
    public int Height => Bottom - Top;
    public bool IsEmpty => Right <= Left || Bottom <= Top;

    public static PixelRect FromSize(int left, int top, int width, int height) => new(left, top, left + width, top + height);

    public bool Contains(double x, double y) => x >= Left && x < Right && y >= Top && y < Bottom;

    public PixelRect Intersect(PixelRect o)
    {
        var r = new PixelRect(Math.Max(Left, o.Left), Math.Max(Top, o.Top), Math.Min(Right, o.Right), Math.Min(Bottom, o.Bottom));
        return r.IsEmpty ? default : r;
    }

    public PixelRect Union(PixelRect o) =>
        IsEmpty ? o : o.IsEmpty ? this : new(Math.Min(Left, o.Left), Math.Min(Top, o.Top), Math.Max(Right, o.Right), Math.Max(Bottom, o.Bottom));

    public PixelRect Offset(int dx, int dy) => new(Left + dx, Top + dy, Right + dx, Bottom + dy);
}

/// <summary>
/// <c>{left, top, right, bottom}</c> with px or % units (seed 003 <c>valid_sign_rect</c>, <c>button_rect</c>, and
/// <c>pos</c> when given with units). Resolved against the size of what contains it.
/// </summary>
public sealed record UiEdges(UiLength Left, UiLength Top, UiLength Right, UiLength Bottom)
{
    /// <summary>The whole container: <c>{"left":"0","top":"0","right":"100%","bottom":"100%"}</c>.</summary>
    public static UiEdges Full { get; } = new(UiLength.Px(0), UiLength.Px(0), UiLength.Percent(100), UiLength.Percent(100));

    public PixelRect Resolve(int width, int height) =>
        new(Left.Resolve(width), Top.Resolve(height), Right.Resolve(width), Bottom.Resolve(height));
}

/// <summary>
/// A window's place on the screen. Seed 003: <c>pos {left, top, width, height}</c> in px (no unit allowed), or
/// <c>pos {left, top, right, bottom}</c> with px/% units. Percentages refer to the screen.
/// </summary>
public sealed record UiPos
{
    private UiPos(UiEdges edges) => Edges = edges;

    public UiEdges Edges { get; }

    public static UiPos FromSize(int left, int top, int width, int height) =>
        new(new UiEdges(UiLength.Px(left), UiLength.Px(top), UiLength.Px(left + width), UiLength.Px(top + height)));

    public static UiPos FromEdges(UiEdges edges) => new(edges);

    public static UiPos FullScreen { get; } = new(UiEdges.Full);

    public PixelRect Resolve(int screenWidth, int screenHeight) => Edges.Resolve(screenWidth, screenHeight);
}
