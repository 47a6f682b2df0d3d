using System.Globalization;
using Appliance.Core.Capture;
using Appliance.Core.Images;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Video;

/// <summary>Where captured images are kept (<c>make_uuid</c>, v1.0 grabs).</summary>
public sealed class CameraServiceOptions
{
    public required string ImageDirectory { get; init; }
}

/// <summary>
/// <c>video=</c> (seed 003 §3): stream, status, open/close (reference counted), grabimage (v1.5 and the
/// v1.0 appendix form), setproperty/getproperty. Cameras come from the board profile's <c>cameras</c> map, through
/// the camera port; the pictures are made by the image-work ports.
/// </summary>
public sealed partial class VideoGroup(ICameraSet cameras, PageImageStore images, IPhotoProcessor photos, INoticePictures notices, IJpegResizer resizer)
    : ICameraServiceGroup
{
    public void Map(CameraServiceRoutes routes)
    {
        routes.MapRaw("video", "stream", StreamAsync);
        routes.Map("video", "status", Status);
        routes.Map("video", "open", Open);
        routes.Map("video", "close", Close);
        routes.Map("video", "setproperty", SetProperty);
        routes.Map("video", "getproperty", GetProperty);
        routes.Map("video", "grabimage", GrabImageAsync);
        routes.MapFunction("grab_image", GrabImageAsync);
    }

    private ICameraChannel Camera(CameraServiceRequest request)
    {
        var index = request.Int("camidx", 0);
        return cameras.Get(index) ?? throw new CameraServiceException(ErrorCode.DeviceAbsent, $"摄像头 {index} 不存在 / this terminal has no camera {index}");
    }

    /// <summary>A camera failure as CameraService answers it: the shared code (docs/PROTOCOLS.md), the camera's own words.</summary>
    internal static CameraServiceException Answer(CaptureException e) => new(ErrorCodes.For(e.Failure), e.Message);

    private static T Guard<T>(Func<T> action)
    {
        try { return action(); }
        catch (CaptureException e) { throw Answer(e); }
    }

    /// <summary>§3.4: "no" not connected, "ok" connected, "run" running; documents 0/1/2 and the IR cameras.</summary>
    private ValueTask<CameraServiceAnswer> Status(CameraServiceRequest request, CancellationToken ct)
    {
        var words = new List<(string Key, string Value)>();
        var ir = 0;
        foreach (var c in cameras.All)
        {
            var word = c.State switch { CameraChannelState.Running => "run", CameraChannelState.Ready => "ok", _ => "no" };
            words.Add(c.Role == "face-ir" ? ($"videoIR{++ir}", word) : ($"video{c.Index}", word));
        }
        foreach (var key in new[] { "video0", "video1", "video2", "videoIR1", "videoIR2" })
            if (!words.Exists(w => w.Key == key)) words.Add((key, "no"));
        return ValueTask.FromResult(CameraServiceAnswer.Ok(w =>
        {
            foreach (var (key, value) in words.OrderBy(x => x.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        }));
    }

    /// <summary>§3.9: one more reference.</summary>
    private ValueTask<CameraServiceAnswer> Open(CameraServiceRequest request, CancellationToken ct)
    {
        var camera = Camera(request);
        var count = Guard(camera.Open);
        return ValueTask.FromResult(CameraServiceAnswer.Ok(w => w.WriteString("count", count.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>§3.10: one reference fewer; at zero the camera stops and its streams end with "closed".</summary>
    private ValueTask<CameraServiceAnswer> Close(CameraServiceRequest request, CancellationToken ct)
    {
        var count = Camera(request).Close();
        return ValueTask.FromResult(CameraServiceAnswer.Ok(w => w.WriteString("count", count.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>§3.7: the first property in the body is set; out of range → automatic, else the default.</summary>
    private ValueTask<CameraServiceAnswer> SetProperty(CameraServiceRequest request, CancellationToken ct)
    {
        var camera = Camera(request);
        var name = request.BodyNames.FirstOrDefault(cameras.PropertyNames.Contains)
            ?? throw new CameraServiceException(ErrorCode.BadRequest, $"缺少属性 / name one property: {string.Join(", ", cameras.PropertyNames)}");
        var value = request.Int(name, 0);
        var outcome = Guard(() => camera.SetProperty(name, value));
        var said = outcome switch
        {
            CameraPropertyOutcome.Automatic => "auto",
            CameraPropertyOutcome.Default => "default",
            _ => "manual",
        };
        return ValueTask.FromResult(CameraServiceAnswer.Ok(w => { w.WriteString("key", name); w.WriteString("mode", said); }));
    }

    /// <summary>§3.8: range, default, current value and whether it is automatic.</summary>
    private ValueTask<CameraServiceAnswer> GetProperty(CameraServiceRequest request, CancellationToken ct)
    {
        var camera = Camera(request);
        var key = Wire.WireName.Normalize(request.String("key") ?? "");
        if (!cameras.PropertyNames.Contains(key))
            throw new CameraServiceException(ErrorCode.BadRequest, $"未知属性 \"{key}\" / unknown property; one of {string.Join(", ", cameras.PropertyNames)}");
        var info = Guard(() => camera.GetProperty(key));
        static string S(int n) => n.ToString(CultureInfo.InvariantCulture);
        return ValueTask.FromResult(CameraServiceAnswer.Ok(w =>
        {
            w.WriteString("key", key);
            if (info is null)
            {
                w.WriteString("settable", "1");
                return;
            }
            w.WriteString("settable", "0");
            w.WriteString("min", S(info.Minimum));
            w.WriteString("max", S(info.Maximum));
            w.WriteString("step", S(info.Step));
            w.WriteString("default", S(info.Default));
            w.WriteString("current", S(info.Current));
            w.WriteString("is_auto", info.IsAuto ? "1" : "0");
        }));
    }
}
