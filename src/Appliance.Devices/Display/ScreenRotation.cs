namespace Appliance.Devices.Display;

/// <summary>
/// How the panel is mounted: logical (as the person sees it) ↔ physical (the panel's own scan order) pixel mapping.
/// <c>rotation</c> is the board profile's clockwise angle; 90 means the logical top-left lies at the panel's top-right.
/// Both the display presenter and the pen mapper use these so ink lands under the pen whatever the mounting.
/// </summary>
public static class ScreenRotation
{
    public static void Validate(int rotation)
    {
        if (rotation is not (0 or 90 or 180 or 270)) throw new ArgumentOutOfRangeException(nameof(rotation), rotation, "expected 0, 90, 180 or 270");
    }

    /// <summary>Logical size for a panel of <paramref name="panelWidth"/>×<paramref name="panelHeight"/>.</summary>
    public static (int Width, int Height) LogicalSize(int panelWidth, int panelHeight, int rotation) =>
        rotation is 90 or 270 ? (panelHeight, panelWidth) : (panelWidth, panelHeight);

    public static (double X, double Y) PhysicalToLogical(double px, double py, int panelWidth, int panelHeight, int rotation) => rotation switch
    {
        90 => (py, panelWidth - 1 - px),
        180 => (panelWidth - 1 - px, panelHeight - 1 - py),
        270 => (panelHeight - 1 - py, px),
        _ => (px, py),
    };

    public static (int X, int Y) LogicalToPhysical(int lx, int ly, int panelWidth, int panelHeight, int rotation) => rotation switch
    {
        90 => (panelWidth - 1 - ly, lx),
        180 => (panelWidth - 1 - lx, panelHeight - 1 - ly),
        270 => (ly, panelHeight - 1 - lx),
        _ => (lx, ly),
    };
}
