using Appliance.Core.Capture;
using Appliance.Devices.IdCard;
using Appliance.Imaging.IdCard;
using SkiaSharp;

namespace Appliance.Adapters;

/// <summary>
/// Binds <see cref="IIdCardCapture"/> to the SAM ID-card reader driver: the one place a driver's <see cref="IdCardData"/>
/// becomes Core's <see cref="IdCardRead"/>. The card's two faces are drawn (with the board's CJK font) when asked for.
/// </summary>
public sealed class IdCardReaderAdapter(DeviceSlot<IIdCardReader> reader, IdCardFaceRenderer faces) : IIdCardCapture
{
    /// <summary>Without a wait of the caller's, the session's timeout cancels the read; the reader's own limit is set beyond it.</summary>
    private static readonly TimeSpan ReaderWait = TimeSpan.FromMinutes(5);

    public bool IsAvailable => reader.Current is not null;

    public async Task<IdCardRead> ReadAsync(IdCardReadRequest request, CancellationToken cancel)
    {
        var options = new IdCardReadOptions { WithFingerprint = request.WithFingerprint, CardWait = request.CardWait ?? ReaderWait, CardFound = request.CardFound };
        var card = await DeviceErrors.Translated(() => reader.Device.ReadAsync(options, cancel)).ConfigureAwait(false);
        return new IdCardRead
        {
            CardType = card.CardType, Name = card.Name, NameEn = card.NameEn, Sex = card.Sex, SexCode = card.SexCode,
            Nation = card.Nation, NationCode = card.NationCode, Birthday = card.Birthday, Address = card.Address,
            IdNumber = card.IdNumber, Issuer = card.Issuer, IssuerCode = card.IssuerCode, ValidFrom = card.ValidFrom,
            ValidTo = card.ValidTo, PassportId = card.PassportId, SignCount = card.SignCount, CardVersion = card.CardVersion,
            PhotoUnavailableReason = card.PhotoUnavailableReason,
            Photo = card.PhotoBmp is { Length: > 0 } bmp ? ToPng(bmp) : [],
            PhotoBmp = card.PhotoBmp ?? [],
            Fingerprint = card.Fingerprint,
            FrontImage = request.WithFaces ? faces.RenderFront(card) : [],
            BackImage = request.WithFaces ? faces.RenderBack(card) : [],
        };
    }

    public Task<string> ReadSamIdAsync(CancellationToken cancel) => DeviceErrors.Translated(() => reader.Device.ReadSamIdAsync(cancel));

    private static byte[] ToPng(byte[] bmp)
    {
        using var bitmap = SKBitmap.Decode(bmp);
        if (bitmap is null) return [];
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
