namespace Appliance.Protocols.Uos;

/// <summary>Settings of the UOS port (configuration section <c>uos</c>).</summary>
public sealed class UosOptions
{
    public const string Section = "uos";

    /// <summary>How many <c>camerabase64</c> preview frames per second a <c>previewcamera</c> stream sends.</summary>
    public int PreviewFramesPerSecond { get; set; } = 5;

    /// <summary>Default ink width when <c>getsign</c> names none.</summary>
    public float DefaultPenWidth { get; set; } = 4;

    public string? Validate() => PreviewFramesPerSecond is < 1 or > 30
        ? $"{Section}:previewFramesPerSecond: expected 1..30, found {PreviewFramesPerSecond}"
        : DefaultPenWidth is < 1 or > 50 ? $"{Section}:defaultPenWidth: expected 1..50, found {DefaultPenWidth}" : null;
}
