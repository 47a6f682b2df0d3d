namespace Appliance.Devices.Camera;

/// <summary>Turns a raw YUYV frame into JPEG for the stream (MJPEG frames never come here). Implemented by Imaging (libturbojpeg).</summary>
public interface IYuyvEncoder
{
    byte[] EncodeYuyv(ReadOnlySpan<byte> yuyv, int width, int height, int quality);
}
