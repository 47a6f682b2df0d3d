namespace Appliance.Devices.Camera;

/// <summary>Turns a raw YUYV frame into JPEG for the stream (MJPEG frames never come here). Implemented by Imaging (libturbojpeg).</summary>
public interface IYuyvEncoder
{
    /// <param name="range">How the camera coded the samples (<see cref="V4l2Camera.YuyvRange"/>).</param>
    byte[] EncodeYuyv(ReadOnlySpan<byte> yuyv, int width, int height, int quality, YuvRange range);
}
