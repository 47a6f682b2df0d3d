using Appliance.Devices.Display;

namespace Appliance.Devices.Pen;

/// <summary>
/// Calibration and mounting of a pen over its panel: which raw range covers the panel, whether the digitizer's
/// axes are swapped or inverted relative to the panel, and the panel's rotation (as <see cref="ScreenRotation"/>).
/// </summary>
public sealed record PenMapping
{
    public required int PanelWidth { get; init; }
    public required int PanelHeight { get; init; }
    public int Rotation { get; init; }
    /// <summary>Raw values at the panel's edges; null = the device's own EVIOCGABS range.</summary>
    public int? XMin { get; init; }
    public int? XMax { get; init; }
    public int? YMin { get; init; }
    public int? YMax { get; init; }
    public bool SwapXY { get; init; }
    public bool InvertX { get; init; }
    public bool InvertY { get; init; }
}

/// <summary>
/// Maps raw <see cref="PenSample"/>s to logical screen pixels, pressure 0..1 and tilt in degrees along the screen's
/// axes as the person sees them.
/// </summary>
public sealed class PenCoordinateMapper
{
    /// <summary>The tilt range assumed for an axis that gives no usable resolution (Wacom's physical ±64°, as libinput assumes).</summary>
    public const double DefaultTiltDegrees = 64;

    private readonly PenMapping _mapping;
    private readonly AbsAxis _x, _y, _pressure;
    private readonly AbsAxis? _tiltX, _tiltY;

    public PenCoordinateMapper(PenAxes axes, PenMapping mapping)
    {
        ScreenRotation.Validate(mapping.Rotation);
        _mapping = mapping;
        Axes = axes;
        _x = mapping.XMin is { } x0 && mapping.XMax is { } x1 ? new AbsAxis(x0, x1) : axes.X;
        _y = mapping.YMin is { } y0 && mapping.YMax is { } y1 ? new AbsAxis(y0, y1) : axes.Y;
        _pressure = axes.Pressure;
        (_tiltX, _tiltY) = (axes.TiltX, axes.TiltY);
        if (!_x.IsValid || !_y.IsValid) throw new ArgumentException($"pen range is empty: x {_x.Minimum}..{_x.Maximum}, y {_y.Minimum}..{_y.Maximum}");
        (ScreenWidth, ScreenHeight) = ScreenRotation.LogicalSize(mapping.PanelWidth, mapping.PanelHeight, mapping.Rotation);
    }

    public PenAxes Axes { get; }
    public int ScreenWidth { get; }
    public int ScreenHeight { get; }

    public PenPoint Map(in PenSample s)
    {
        var u = _x.Normalize(s.X);
        var v = _y.Normalize(s.Y);
        if (_mapping.SwapXY) (u, v) = (v, u);
        if (_mapping.InvertX) u = 1 - u;
        if (_mapping.InvertY) v = 1 - v;
        var (lx, ly) = ScreenRotation.PhysicalToLogical(u * (_mapping.PanelWidth - 1), v * (_mapping.PanelHeight - 1),
            _mapping.PanelWidth, _mapping.PanelHeight, _mapping.Rotation);
        // A device without a pressure axis (some touch panels) reports full pressure while touching.
        var pressure = _pressure.IsValid ? (float)_pressure.Normalize(s.Pressure) : (s.Touching ? 1f : 0f);
        var (tiltX, tiltY) = Tilt(s);
        return new PenPoint((float)lx, (float)ly, pressure, tiltX, tiltY, s.Touching, s.TimestampMicroseconds);
    }

    /// <summary>
    /// Tilt in degrees (0 = upright, positive x = the pen leans toward the screen's right, positive y = toward its
    /// bottom), turned with the digitizer's mounting like the coordinates; null when the pen reports none.
    /// </summary>
    private (float? X, float? Y) Tilt(in PenSample s)
    {
        if (s.TiltX is null && s.TiltY is null) return (null, null);
        double? tx = s.TiltX is { } rx && _tiltX is { IsValid: true } ax ? Degrees(ax, rx) : null;
        double? ty = s.TiltY is { } ry && _tiltY is { IsValid: true } ay ? Degrees(ay, ry) : null;
        if (tx is null && ty is null) return (null, null);
        // A lean is a direction: swapped and mirrored with the axes, then rotated with the panel (no translation).
        double u = tx ?? 0, v = ty ?? 0;
        var (hasU, hasV) = (tx is not null, ty is not null);
        if (_mapping.SwapXY) { (u, v) = (v, u); (hasU, hasV) = (hasV, hasU); }
        if (_mapping.InvertX) u = -u;
        if (_mapping.InvertY) v = -v;
        var (ox, oy) = ScreenRotation.PhysicalToLogical(0, 0, _mapping.PanelWidth, _mapping.PanelHeight, _mapping.Rotation);
        var (px, py) = ScreenRotation.PhysicalToLogical(u, v, _mapping.PanelWidth, _mapping.PanelHeight, _mapping.Rotation);
        var (lx, ly) = (px - ox, py - oy);
        if (_mapping.Rotation is 90 or 270) (hasU, hasV) = (hasV, hasU);
        return (hasU ? (float)lx : null, hasV ? (float)ly : null);
    }

    /// <summary>
    /// One tilt axis in degrees. linux/input.h gives the resolution of angular axes in units per radian; without one
    /// (or with a range not centred on 0) the range is taken to span ±<see cref="DefaultTiltDegrees"/>, libinput's rule.
    /// </summary>
    internal static double Degrees(AbsAxis axis, int value) =>
        axis.Resolution > 0 && axis.Minimum < 0 && axis.Maximum > 0
            ? value * (180 / Math.PI) / axis.Resolution
            : (axis.Normalize(value) * 2 - 1) * DefaultTiltDegrees;
}
