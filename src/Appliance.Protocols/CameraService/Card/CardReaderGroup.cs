using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Devices;
using Appliance.Devices.IdCard;
using Appliance.Devices.MagStripe;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Card;

/// <summary>
/// The serial readers' part of <c>card=</c> (seed 003 §4): <c>idcard</c> (a session task: "place the card", journaled),
/// <c>getsamid</c>, <c>magcard</c>, and <c>init</c>/<c>release</c> (the seed says reads open and free the reader
/// themselves, so these only check the reader is there). PC/SC cards are <see cref="CardGroup"/>'s. A terminal
/// without the reader answers 2.
/// </summary>
public sealed class CardReaderGroup(Func<TerminalSession> session, ResultsJournal journal, TerminalSessionOptions options,
    Func<IIdCardReader?> idCards, Func<IMagStripeReader?> magStripe) : ICameraServiceGroup
{
    private static readonly string[] TextFields =
        ["name", "sex", "birthday", "address", "cardID", "issueOrgan", "validStart", "validEnd", "sexCode", "nationCode", "appendMsg",
         "passportId", "signCount", "nameEn", "cardVersion", "admissibleInstitution", "nation"];

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("card", "idcard", IdCardAsync)
            .Map("card", "getsamid", SamIdAsync)
            .Map("card", "magcard", MagCardAsync)
            .Map("card", "init", (_, _) => ValueTask.FromResult(Present()))
            .Map("card", "release", (_, _) => ValueTask.FromResult(Present()));
    }

    private IIdCardReader IdCards => idCards() ?? throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有身份证阅读器 / this terminal has no ID-card reader");

    private CameraServiceAnswer Present() => idCards() is null && magStripe() is null
        ? CameraServiceAnswer.Error(ErrorCode.DeviceAbsent, "此终端没有读卡器 / this terminal has no serial card reader")
        : CameraServiceAnswer.Ok();

    private async ValueTask<CameraServiceAnswer> IdCardAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var reader = IdCards;
        var wait = TimeSpan.FromSeconds(options.IdCardTimeoutSeconds);
        var (record, journaled) = await DeviceTasks.RunAsync(session(), journal, TaskKind.IdCard, request, wait + TimeSpan.FromSeconds(5),
            new ScreenPrompt("请放置身份证 / Place your ID card on the reader", ""), async cancel =>
            {
                var card = await reader.ReadAsync(new IdCardReadOptions { CardWait = wait }, cancel).ConfigureAwait(false);
                List<KeyValuePair<string, byte[]>> images = [];
                if (card.PhotoBmp is { } photo) images.Add(new("photo", photo));
                if (card.Fingerprint.Length > 0) images.Add(new("finger", card.Fingerprint));
                return TaskProduct.Result(images,
                [
                    new("cardType", card.CardType), new("name", card.Name), new("sex", card.Sex), new("birthday", card.Birthday),
                    new("address", card.Address), new("cardID", card.IdNumber), new("issueOrgan", card.Issuer),
                    new("validStart", card.ValidFrom), new("validEnd", card.ValidTo), new("sexCode", card.SexCode),
                    new("nationCode", card.NationCode), new("appendMsg", card.PhotoUnavailableReason), new("passportId", card.PassportId),
                    new("signCount", card.SignCount), new("nameEn", card.NameEn), new("cardVersion", card.CardVersion),
                    new("admissibleInstitution", card.IssuerCode), new("nation", card.Nation),
                ]);
            }, ct).ConfigureAwait(false);
        string F(string key) => record.Fields.FirstOrDefault(f => f.Key == key).Value ?? "";
        byte[] I(string key) => record.Images.FirstOrDefault(f => f.Key == key).Value ?? [];
        var cardType = F("cardType");
        var fields = TextFields.Select(k => (k, F(k))).ToList();
        var (finger, photoB64) = (Convert.ToBase64String(I("finger")), Convert.ToBase64String(I("photo")));
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteString("cardType", cardType);
            w.WriteStartObject("IDCardInfo");
            foreach (var (k, v) in fields) w.WriteString(k, v);
            w.WriteString("fingerBase64", finger);
            w.WriteString("photoBase64", photoB64);
            w.WriteEndObject();
        }).Delivers(journal, journaled);
    }

    private async ValueTask<CameraServiceAnswer> SamIdAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var reader = IdCards;
        try
        {
            var sam = await reader.ReadSamIdAsync(ct).ConfigureAwait(false);
            return CameraServiceAnswer.Ok(w => w.WriteString("samID", sam));
        }
        catch (DeviceException e)
        {
            throw DeviceTasks.Translate(e, "读取模块编号失败 / reading the SAM id failed");
        }
    }

    /// <summary>§4.7: the swipe waiting in the reader, else one within the timeout (seconds, default 10).</summary>
    private async ValueTask<CameraServiceAnswer> MagCardAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var reader = magStripe() ?? throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有磁条卡读卡器 / this terminal has no magnetic-stripe reader");
        var seconds = request.Int("timeout", 10);
        if (seconds is < 1 or > 120) return CameraServiceAnswer.Error(ErrorCode.BadRequest, "timeout 应为 1..120 秒 / timeout must be 1..120 seconds");
        MagStripeSwipe swipe;
        try
        {
            swipe = reader.TakeLastSwipe() ?? await reader.ReadSwipeAsync(TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false);
        }
        catch (DeviceException e)
        {
            throw DeviceTasks.Translate(e, "读磁条卡失败 / magnetic-stripe read failed");
        }
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
