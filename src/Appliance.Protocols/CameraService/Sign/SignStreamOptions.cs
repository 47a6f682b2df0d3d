namespace Appliance.Protocols.CameraService.Sign;

/// <summary>
/// How <c>sign=stream</c> sends the sign screen, set by <c>param=set</c> with <c>camidx</c> 10 (the sign screen's
/// index in the vendor OCX, §9.11): frames per second at most, and the box frames are fitted into. Read per frame,
/// so a change applies to running streams; <c>ParamGroup</c> re-applies the persisted values at start.
/// </summary>
public sealed class SignStreamOptions
{
    public const int DefaultFrameRate = 5;

    private readonly Lock _gate = new();
    private volatile int _frameRate = DefaultFrameRate;
    private (int Width, int Height)? _maxSize;

    public int FrameRate
    {
        get => _frameRate;
        set => _frameRate = value is >= 1 and <= 60 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "1..60 frames per second");
    }

    /// <summary>null = the screen's own size.</summary>
    public (int Width, int Height)? MaxSize
    {
        get { lock (_gate) return _maxSize; }
        set { lock (_gate) _maxSize = value; }
    }
}
