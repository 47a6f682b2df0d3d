using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Card;

/// <summary>
/// The serial readers' part of <c>card=</c> (seed 003 §4): <c>idcard</c> (a session task: "place the card", journaled),
/// <c>getsamid</c>, <c>magcard</c>, and <c>init</c>/<c>release</c> (the seed says reads open and free the reader
/// themselves, so these only check the reader is there). PC/SC cards are <see cref="CardGroup"/>'s. A terminal
/// without the reader, or before its driver runs, answers 2.
/// </summary>
public sealed class CardReaderGroup(TerminalSession session, ResultsJournal journal, TerminalSessionOptions options,
    IIdCardCapture idCards, IMagStripeCapture magStripe) : ICameraServiceGroup
{
    /// <summary>§4.1's <c>IDCardInfo</c> text keys, in the seed's order, each with the card field it carries.</summary>
    private static readonly (string Wire, Func<IdCardRead, string> Value)[] IdCardInfoKeys =
    [
        ("name", c => c.Name), ("sex", c => c.Sex), ("birthday", c => c.Birthday), ("address", c => c.Address),
        ("cardID", c => c.IdNumber), ("issueOrgan", c => c.Issuer), ("validStart", c => c.ValidFrom), ("validEnd", c => c.ValidTo),
        ("sexCode", c => c.SexCode), ("nationCode", c => c.NationCode), ("appendMsg", c => c.PhotoUnavailableReason),
        ("passportId", c => c.PassportId), ("signCount", c => c.SignCount), ("nameEn", c => c.NameEn),
        ("cardVersion", c => c.CardVersion), ("admissibleInstitution", c => c.IssuerCode), ("nation", c => c.Nation),
    ];

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("card", "idcard", IdCardAsync)
            .Map("card", "getsamid", SamIdAsync)
            .Map("card", "magcard", MagCardAsync)
            .Map("card", "init", (_, _) => ValueTask.FromResult(Present()))
            .Map("card", "release", (_, _) => ValueTask.FromResult(Present()));
    }

    private IIdCardCapture IdCards => idCards.IsAvailable
        ? idCards
        : throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有身份证阅读器 / this terminal has no ID-card reader");

    private CameraServiceAnswer Present() => !idCards.IsAvailable && !magStripe.IsAvailable
        ? CameraServiceAnswer.Error(ErrorCode.DeviceAbsent, "此终端没有读卡器 / this terminal has no serial card reader")
        : CameraServiceAnswer.Ok();

    private async ValueTask<CameraServiceAnswer> IdCardAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var reader = IdCards;
        var wait = TimeSpan.FromSeconds(options.IdCardTimeoutSeconds);
        var (record, journaled) = await DeviceTasks.RunAsync(session, journal, TaskKind.IdCard, request, wait + TimeSpan.FromSeconds(5),
            new ScreenPrompt("请放置身份证 / Place your ID card on the reader", ""), async cancel =>
            {
                var card = await reader.ReadAsync(new IdCardReadRequest
                {
                    CardWait = wait, WithFingerprint = true, CardFound = () => session.UpdatePrompt(TaskKind.IdCard, TaskWords.ReadingCard),
                }, cancel).ConfigureAwait(false);
                return card.ToProduct();
            }, ct).ConfigureAwait(false);
        var card = IdCardRead.FromRecord(record);
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteString("cardType", card.CardType);
            w.WriteStartObject("IDCardInfo");
            foreach (var (key, value) in IdCardInfoKeys) w.WriteString(key, value(card));
            w.WriteString("fingerBase64", Convert.ToBase64String(card.Fingerprint));
            w.WriteString("photoBase64", Convert.ToBase64String(card.PhotoBmp)); // the BMP the reader decoded (UOS sends the PNG)
            w.WriteEndObject();
        }).Delivers(journal, journaled);
    }

    private async ValueTask<CameraServiceAnswer> SamIdAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var reader = IdCards;
        var sam = await DeviceTasks.CallAsync(() => reader.ReadSamIdAsync(ct), "读取模块编号失败 / reading the SAM id failed").ConfigureAwait(false);
        return CameraServiceAnswer.Ok(w => w.WriteString("samID", sam));
    }

    /// <summary>§4.7: the swipe waiting in the reader, else one within the timeout (seconds, default 10).</summary>
    private async ValueTask<CameraServiceAnswer> MagCardAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var reader = magStripe.IsAvailable
            ? magStripe
            : throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有磁条卡读卡器 / this terminal has no magnetic-stripe reader");
        var seconds = request.Int("timeout", 10);
        if (seconds is < 1 or > 120) return CameraServiceAnswer.Error(ErrorCode.BadRequest, "timeout 应为 1..120 秒 / timeout must be 1..120 seconds");
        var swipe = await DeviceTasks.CallAsync(() => reader.ReadSwipeAsync(TimeSpan.FromSeconds(seconds), ct), "读磁条卡失败 / magnetic-stripe read failed")
            .ConfigureAwait(false);
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteStartObject("MagCardInfo");
            w.WriteString("Track1", swipe.Track1);
            w.WriteString("Track2", swipe.Track2);
            w.WriteString("Track3", swipe.Track3);
            w.WriteEndObject();
        });
    }
}
