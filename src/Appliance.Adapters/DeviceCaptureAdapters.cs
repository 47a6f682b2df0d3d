using Appliance.Core.Capture;
using Appliance.Imaging.IdCard;
using Appliance.Devices;
using Appliance.Devices.Fingerprint;
using Appliance.Devices.IdCard;
using SkiaSharp;

namespace Appliance.Adapters;

/// <summary>Binds <see cref="IFingerprintCapture"/> to the fingerprint module driver; the grey image becomes a PNG.</summary>
public sealed class FingerprintSensorAdapter(IFingerprintSensor sensor) : IFingerprintCapture
{
    /// <summary>The session's timeout cancels the wait; the module's own limit is set beyond it.</summary>
    private static readonly TimeSpan ModuleWait = TimeSpan.FromMinutes(5);

    public async Task<FingerprintPicture> CaptureAsync(CancellationToken cancel)
    {
        FingerprintCapture capture;
        try
        {
            capture = await sensor.CaptureAsync(new FingerprintCaptureOptions { WithImage = true, WithFeature = false, FingerWait = ModuleWait }, cancel).ConfigureAwait(false);
        }
        catch (DeviceException e)
        {
            throw DeviceErrors.ToCapture(e);
        }
        var image = capture.Image ?? throw new CaptureException(CaptureFailure.DeviceFailed, "the fingerprint module sent no image");
        return new FingerprintPicture(GreyToPng(image.Width, image.Height, image.Pixels), image.Width, image.Height);
    }

    internal static byte[] GreyToPng(int width, int height, byte[] pixels)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

/// <summary>
/// Binds <see cref="IIdCardCapture"/> to the SAM ID-card reader driver, and composes the card's two faces
/// (<c>frontingBase64</c>/<c>backingBase64</c>) from the fields and photo with the board's CJK font.
/// </summary>
public sealed class IdCardReaderAdapter(IIdCardReader reader, IdCardFaceRenderer faces) : IIdCardCapture
{
    private static readonly TimeSpan ReaderWait = TimeSpan.FromMinutes(5);

    public async Task<IdCardRead> ReadAsync(CancellationToken cancel)
    {
        IdCardData card;
        try
        {
            card = await reader.ReadAsync(new IdCardReadOptions { WithFingerprint = false, CardWait = ReaderWait }, cancel).ConfigureAwait(false);
        }
        catch (DeviceException e)
        {
            throw DeviceErrors.ToCapture(e);
        }
        var photo = card.PhotoBmp is { Length: > 0 } bmp ? ToPng(bmp) : [];
        var face = new IdCardFace
        {
            Layout = card.CardType switch { "J" => "hkmotw", "I" or "Y" => "foreigner", _ => "mainland" },
            Name = card.Name, NameEn = card.NameEn, Sex = card.Sex, Nation = card.Nation, Birthday = card.Birthday,
            Address = card.Address, IdNumber = card.IdNumber, Issuer = card.Issuer, ValidFrom = card.ValidFrom,
            ValidTo = card.ValidTo, PassportId = card.PassportId, SignCount = card.SignCount,
            Photo = photo.Length > 0 ? photo : null, PhotoUnavailableReason = card.PhotoUnavailableReason,
        };
        return new IdCardRead
        {
            Name = card.Name, Sex = card.Sex, Nation = card.Nation, Birthday = card.Birthday, Address = card.Address,
            IdNumber = card.IdNumber, Issuer = card.Issuer, ValidFrom = card.ValidFrom, ValidTo = card.ValidTo,
            Photo = photo,
            FrontImage = faces.RenderFront(face),
            BackImage = faces.RenderBack(face),
        };
    }

    private static byte[] ToPng(byte[] bmp)
    {
        using var bitmap = SKBitmap.Decode(bmp);
        if (bitmap is null) return [];
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

internal static class DeviceErrors
{
    public static CaptureException ToCapture(DeviceException e) => new(e.Kind switch
    {
        DeviceErrorKind.Absent => CaptureFailure.DeviceAbsent,
        DeviceErrorKind.Timeout or DeviceErrorKind.NothingPresented => CaptureFailure.TimedOut,
        DeviceErrorKind.BadRequest => CaptureFailure.BadRequest,
        DeviceErrorKind.NotSupported => CaptureFailure.NotSupported,
        _ => CaptureFailure.DeviceFailed,
    }, e.Message, e);
}
