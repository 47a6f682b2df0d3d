namespace Appliance.Core.Capture;

/// <summary>
/// Contact/contactless chip cards through the PC/SC reader: an IC bank card (EMV/PBOC) or a social-security card.
/// One read at a time (a second is <see cref="CaptureFailure.Busy"/>). Every failure is a <see cref="CaptureException"/>:
/// no reader → <see cref="CaptureFailure.DeviceAbsent"/>, no card in time → <see cref="CaptureFailure.TimedOut"/>,
/// the card pulled out → <see cref="CaptureFailure.DeviceFailed"/>, not that kind of card → <see cref="CaptureFailure.NotSupported"/>.
/// </summary>
public interface ISmartCardPort
{
    /// <param name="cardWait">How long to wait for a card; null for the reader's default.</param>
    Task<SmartCardRead> ReadIcCardAsync(TimeSpan? cardWait, CancellationToken cancel);

    /// <param name="cardWait">How long to wait for a card; null for the reader's default.</param>
    Task<SmartCardRead> ReadSocialSecurityCardAsync(TimeSpan? cardWait, CancellationToken cancel);
}

/// <summary>
/// What the card holds, as (name, value) in order, only what is present. The names are seed 003's (§4.3 SocialCardInfo,
/// §4.4 ICCardInfo), which the card readers already use, so no second list of them is kept.
/// </summary>
public sealed record SmartCardRead(IReadOnlyList<KeyValuePair<string, string>> Fields);
