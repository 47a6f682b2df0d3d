using Appliance.Core.Capture;
using Appliance.Devices.Camera;

namespace Appliance.Adapters.Camera;

/// <summary>The one place a camera driver's failure becomes the terminal's: every camera port call goes through it.</summary>
internal static class CameraErrors
{
    /// <summary>Absent or removed → DeviceAbsent, not supported → NotSupported, timed out → TimedOut, else DeviceFailed; the text says which in both languages.</summary>
    public static CaptureException ToCapture(CameraException e) => new(e.Error switch
    {
        CameraError.Absent or CameraError.Removed => CaptureFailure.DeviceAbsent,
        CameraError.NotSupported => CaptureFailure.NotSupported,
        CameraError.TimedOut => CaptureFailure.TimedOut,
        _ => CaptureFailure.DeviceFailed,
    }, e.Error switch
    {
        CameraError.Absent => $"设备未连接 / camera not connected: {e.Message}",
        CameraError.Removed => $"设备被移除 / camera removed: {e.Message}",
        CameraError.NotSupported => $"设备不支持 / not supported by the camera: {e.Message}",
        CameraError.TimedOut => $"获取视频数据超时 / no video from the camera: {e.Message}",
        _ => $"设备异常 / camera failed: {e.Message}",
    }, e);

    public static T Guard<T>(Func<T> action)
    {
        try { return action(); }
        catch (CameraException e) { throw ToCapture(e); }
    }
}
