using Appliance.Core.Capture;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Card;

/// <summary>
/// <c>card=iccard</c> (§4.4) and <c>card=sociaseceritycard</c> (§4.3, the seed's spelling) through PC/SC.
/// Optional <c>timeout</c> (seconds) overrides how long to wait for a card. Other card actions (idcard,
/// getsamid, magcard, init, release) belong to their own readers and are added to this group's table by them.
/// </summary>
public sealed class CardGroup(ISmartCardPort cards) : ICameraServiceGroup
{
    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("card", "iccard", IcCardAsync);
        routes.Map("card", "sociaseceritycard", SocialSecurityCardAsync);
    }

    private async ValueTask<CameraServiceAnswer> IcCardAsync(CameraServiceRequest request, CancellationToken ct) =>
        Answer("ICCardInfo", await ReadAsync(() => cards.ReadIcCardAsync(Wait(request), ct)).ConfigureAwait(false));

    private async ValueTask<CameraServiceAnswer> SocialSecurityCardAsync(CameraServiceRequest request, CancellationToken ct) =>
        Answer("SocialCardInfo", await ReadAsync(() => cards.ReadSocialSecurityCardAsync(Wait(request), ct)).ConfigureAwait(false));

    private static CameraServiceAnswer Answer(string name, SmartCardRead card) => CameraServiceAnswer.Ok(w =>
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in card.Fields) w.WriteString(key, value);
        w.WriteEndObject();
    });

    private static TimeSpan? Wait(CameraServiceRequest request)
    {
        var seconds = request.Int("timeout", -1);
        return seconds switch
        {
            < 0 => null,
            > 120 => throw new CameraServiceException(ErrorCode.BadRequest, "timeout 最长 120 秒 / timeout is at most 120 seconds"),
            _ => TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>The adapter's message already says what happened to the card; it goes out as is.</summary>
    private static async Task<SmartCardRead> ReadAsync(Func<Task<SmartCardRead>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (CaptureException e)
        {
            throw DeviceTasks.Answer(e);
        }
    }
}
