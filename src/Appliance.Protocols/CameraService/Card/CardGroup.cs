using Appliance.Devices.SmartCard;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Card;

/// <summary>
/// <c>card=iccard</c> (§4.4) and <c>card=sociaseceritycard</c> (§4.3, the seed's spelling) through PC/SC.
/// Optional <c>timeout</c> (seconds) overrides how long to wait for a card. Other card actions (idcard,
/// getsamid, magcard, init, release) belong to their own readers and are added to this group's table by them.
/// </summary>
public sealed class CardGroup(SmartCardService cards) : ICameraServiceGroup
{
    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("card", "iccard", IcCardAsync);
        routes.Map("card", "sociaseceritycard", SocialSecurityCardAsync);
    }

    private async ValueTask<CameraServiceAnswer> IcCardAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var info = await Guard(() => cards.ReadIcCardAsync(Wait(request), ct)).ConfigureAwait(false);
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteStartObject("ICCardInfo");
            foreach (var (name, value) in info.Fields()) w.WriteString(name, value);
            w.WriteEndObject();
        });
    }

    private async ValueTask<CameraServiceAnswer> SocialSecurityCardAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var info = await Guard(() => cards.ReadSocialSecurityCardAsync(Wait(request), ct)).ConfigureAwait(false);
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteStartObject("SocialCardInfo");
            foreach (var (name, value) in info.Fields()) w.WriteString(name, value);
            w.WriteEndObject();
        });
    }

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

    private static async Task<T> Guard<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (SmartCardException e)
        {
            throw e.Error switch
            {
                SmartCardError.ReaderAbsent => new CameraServiceException(ErrorCode.DeviceAbsent, $"读卡器未连接 / card reader not available: {e.Message}"),
                SmartCardError.CardAbsent => new CameraServiceException(ErrorCode.TimedOut, $"未放卡 / no card on the reader: {e.Message}"),
                SmartCardError.CardRemoved => new CameraServiceException(ErrorCode.DeviceFailed, $"读卡过程中卡被移走 / the card was removed during the read: {e.Message}"),
                SmartCardError.UnknownCard => new CameraServiceException(ErrorCode.NotSupported, $"无法识别的卡 / unknown card: {e.Message}"),
                SmartCardError.Busy => new CameraServiceException(ErrorCode.Busy, $"读卡器忙 / the reader is busy: {e.Message}"),
                _ => new CameraServiceException(ErrorCode.DeviceFailed, $"读卡失败 / card read failed: {e.Message}"),
            };
        }
    }
}
