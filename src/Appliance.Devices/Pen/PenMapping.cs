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

/// <summary>Maps raw <see cref="PenSample"/>s to logical screen pixels.</summary>
public sealed class PenCoordinateMapper
{
    private readonly PenMapping _mapping;
    private readonly AbsAxis _x, _y, _pressure;

    public PenCoordinateMapper(PenAxes axes, PenMapping mapping)
    {
        ScreenRotation.Validate(mapping.Rotation);
        _mapping = mapping;
        Axes = axes;
        _x = mapping.XMin is { } x0 && mapping.XMax is { } x1 ? new AbsAxis(x0, x1) : axes.X;
        _y = mapping.YMin is { } y0 && mapping.YMax is { } y1 ? new AbsAxis(y0, y1) : axes.Y;
        _pressure = axes.Pressure;
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
        return new PenPoint((float)lx, (float)ly, pressure, s.TiltX, s.TiltY, s.Touching, s.TimestampMicroseconds);
    }
}
