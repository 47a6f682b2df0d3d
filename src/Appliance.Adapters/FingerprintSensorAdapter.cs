using Appliance.Core.Capture;
using Appliance.Devices.Fingerprint;
using Appliance.Imaging.Fingerprint;

namespace Appliance.Adapters;

/// <summary>Binds <see cref="IFingerprintCapture"/> to the fingerprint module driver; its grey image is encoded by <see cref="FingerprintImageEncoder"/>.</summary>
public sealed class FingerprintSensorAdapter(DeviceSlot<IFingerprintSensor> sensor) : IFingerprintCapture
{
    /// <summary>The session's timeout cancels the wait; the module's own limit is set beyond it.</summary>
    private static readonly TimeSpan ModuleWait = TimeSpan.FromMinutes(5);

    public bool IsAvailable => sensor.Current is not null;

    public async Task<FingerprintPicture> CaptureAsync(CancellationToken cancel)
    {
        var capture = await PressAsync(new FingerprintCaptureOptions { WithImage = true, WithFeature = false, FingerWait = ModuleWait }, cancel).ConfigureAwait(false);
        var image = capture.Image ?? throw new CaptureException(CaptureFailure.DeviceFailed, "the fingerprint module sent no image");
        return new FingerprintPicture(FingerprintImageEncoder.ToGreyPng(image.Width, image.Height, image.Pixels), image.Width, image.Height);
    }

    public async Task<FingerprintRead> ReadAsync(FingerprintReadRequest request, CancellationToken cancel)
    {
        var options = new FingerprintCaptureOptions { WithImage = request.Image != FingerprintImageFormat.None, WithFeature = true, FingerWait = request.FingerWait };
        var capture = await PressAsync(options, cancel).ConfigureAwait(false);
        return new FingerprintRead(capture.Image is { } image ? Encode(image, request.Image) : null, capture.Feature);
    }

    public Task<int> VerifyLiveAsync(byte[] feature, TimeSpan fingerWait, CancellationToken cancel) =>
        DeviceErrors.Translated(() => sensor.Device.VerifyLiveAsync(feature, fingerWait, cancel));

    public Task<int> MatchAsync(byte[] first, byte[] second, CancellationToken cancel) =>
        DeviceErrors.Translated(() => sensor.Device.MatchAsync(first, second, cancel));

    private Task<FingerprintCapture> PressAsync(FingerprintCaptureOptions options, CancellationToken cancel) =>
        DeviceErrors.Translated(() => sensor.Device.CaptureAsync(options, cancel));

    private static byte[] Encode(FingerprintImage image, FingerprintImageFormat format) => format switch
    {
        FingerprintImageFormat.Raw => FingerprintImageEncoder.ToRaw24(image.Width, image.Height, image.Pixels),
        FingerprintImageFormat.Png => FingerprintImageEncoder.ToPng(image.Width, image.Height, image.Pixels),
        _ => FingerprintImageEncoder.ToBmp(image.Width, image.Height, image.Pixels),
    };
}
