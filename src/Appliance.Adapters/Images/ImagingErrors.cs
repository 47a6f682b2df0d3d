using Appliance.Core.Capture;
using Appliance.Imaging.Jpeg;

namespace Appliance.Adapters.Images;

/// <summary>Image work fails only on pictures libjpeg-turbo cannot read or write: a device sent a broken frame, or the codec failed.</summary>
internal static class ImagingErrors
{
    public static T Guard<T>(Func<T> work)
    {
        try { return work(); }
        catch (JpegException e) { throw new CaptureException(CaptureFailure.DeviceFailed, e.Message, e); }
    }
}
