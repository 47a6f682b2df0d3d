using Appliance.Core.Capture;
using Driver = Appliance.Devices.Camera;

namespace Appliance.Adapters.Camera;

/// <summary>
/// Binds <see cref="ICameraChannel"/> to one driver camera channel (V4L2, or the sim scene behind the same V4L2 code).
/// One adapter per channel, made by <see cref="CameraSetAdapter"/>: CameraService and UOS share it.
/// </summary>
public sealed class CameraChannelAdapter(Driver.CameraChannel channel) : ICameraChannel
{
    public int Index => channel.Index;

    public string Role => channel.Role;

    public CameraChannelState State => channel.State switch
    {
        Driver.CameraChannelState.Running => CameraChannelState.Running,
        Driver.CameraChannelState.Ready => CameraChannelState.Ready,
        _ => CameraChannelState.Absent,
    };

    public string Detail => channel.Detail;

    public int OpenCount => channel.OpenCount;

    public CameraMode? CurrentMode => channel.CurrentMode is { } mode ? ToPort(mode) : null;

    public IReadOnlyList<CameraMode> Modes => [.. channel.Modes.Select(ToPort)];

    public (int Width, int Height) CaptureSize => (channel.Options.Width, channel.Options.Height);

    public CameraStreamOptions StreamOptions
    {
        get
        {
            var options = channel.Options;
            return new CameraStreamOptions(options.StreamFrameRate, options.StreamMaxWidth, options.StreamMaxHeight, options.StreamJpegQuality);
        }
    }

    public void SetStreamFrameRate(int framesPerSecond) => channel.Options.StreamFrameRate = framesPerSecond;

    public void SetStreamMaxSize(int width, int height) => (channel.Options.StreamMaxWidth, channel.Options.StreamMaxHeight) = (width, height);

    public void Probe() => channel.Probe();

    public int Open()
    {
        CameraErrors.Guard(() => { channel.Open(); return 0; });
        return channel.OpenCount;
    }

    public int Close() => channel.Close();

    public async Task<CameraPicture> GrabAsync(CancellationToken cancel)
    {
        try
        {
            return ToPicture(await channel.GrabAsync(cancel).ConfigureAwait(false));
        }
        catch (Driver.CameraException e)
        {
            throw CameraErrors.ToCapture(e);
        }
    }

    public ICameraFrames Subscribe()
    {
        try
        {
            return new CameraFramesAdapter(channel.Subscribe());
        }
        catch (Driver.CameraException e)
        {
            return CameraFramesAdapter.Refused(e);
        }
    }

    public CameraMode Resize(int width, int height) => CameraErrors.Guard(() => ToPort(channel.Resize(width, height)));

    public CameraPropertyInfo? GetProperty(string name) =>
        CameraErrors.Guard(() => channel.WithCamera(c => Driver.CameraProperties.Get(c, name))) is { } p
            ? new CameraPropertyInfo(p.Minimum, p.Maximum, p.Step, p.Default, p.Current, p.IsAuto)
            : null;

    public CameraPropertyOutcome SetProperty(string name, int value) =>
        CameraErrors.Guard(() => channel.WithCamera(c => Driver.CameraProperties.Set(c, name, value))) switch
        {
            Driver.CameraPropertyOutcome.Automatic => CameraPropertyOutcome.Automatic,
            Driver.CameraPropertyOutcome.Default => CameraPropertyOutcome.Default,
            _ => CameraPropertyOutcome.Manual,
        };

    internal static CameraMode ToPort(Driver.CameraMode mode) =>
        new(mode.Format == Driver.CameraPixelFormat.Mjpeg ? CameraPixelFormat.Mjpeg : CameraPixelFormat.Yuyv, mode.Width, mode.Height);

    /// <summary>Published frames are JPEG already: the channel encodes a YUYV camera's frames once for every client.</summary>
    internal static CameraPicture ToPicture(Driver.CameraFrame frame) => new(frame.Data, frame.Width, frame.Height, frame.CapturedAt);
}
