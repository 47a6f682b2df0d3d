using System.Globalization;
using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Fingerprint;

/// <summary>
/// <c>fp=read</c> (§8.1: bmp / raw / png image plus the feature, or the feature alone) and <c>fp=verify</c> (§8.2: two
/// features matched by the module, or one against a live finger). Reads that need a finger are session tasks. A
/// terminal without a sensor, or before its driver runs, answers 2.
/// </summary>
public sealed class FingerprintGroup(TerminalSession session, ResultsJournal journal, TerminalSessionOptions options, IFingerprintCapture sensor)
    : ICameraServiceGroup
{
    private const string ImagePart = "fingerprint", FeaturePart = "feature";

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("fp", "read", ReadAsync).Map("fp", "verify", VerifyAsync, maxBody: BodyLimits.Features, takesArray: true);
    }

    private IFingerprintCapture Sensor => sensor.IsAvailable
        ? sensor
        : throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有指纹仪 / this terminal has no fingerprint sensor");

    private TimeSpan Wait => TimeSpan.FromSeconds(options.FingerprintTimeoutSeconds);

    private async ValueTask<CameraServiceAnswer> ReadAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var type = (request.String("type") ?? "bmp").Trim().ToLowerInvariant();
        FingerprintImageFormat? asked = type switch
        {
            "bmp" => FingerprintImageFormat.Bmp,
            "raw" => FingerprintImageFormat.Raw,
            "png" => FingerprintImageFormat.Png,
            "feature" => FingerprintImageFormat.None,
            _ => null,
        };
        if (asked is not { } format)
            return CameraServiceAnswer.Error(ErrorCode.BadRequest, $"type 应为 bmp/raw/png/feature / type must be bmp, raw, png or feature, got \"{request.String("type")}\"");
        var s = Sensor;
        var (record, journaled) = await DeviceTasks.RunAsync(session, journal, TaskKind.Fingerprint, request, Wait + TimeSpan.FromSeconds(5),
            new ScreenPrompt("请按手指 / Place your finger on the sensor", ""), async cancel =>
            {
                var read = await s.ReadAsync(new FingerprintReadRequest(format, Wait), cancel).ConfigureAwait(false);
                List<KeyValuePair<string, byte[]>> images = [new(FeaturePart, read.Feature)];
                if (read.Image is { } image) images.Insert(0, new(ImagePart, image));
                return TaskProduct.Result(images);
            }, ct).ConfigureAwait(false);
        var image = record.Images.FirstOrDefault(i => i.Key == ImagePart).Value;
        var feature = record.Images.FirstOrDefault(i => i.Key == FeaturePart).Value ?? [];
        return CameraServiceAnswer.Ok(w =>
        {
            if (image is not null) w.WriteString(type, Convert.ToBase64String(image));
            w.WriteString("feature", Convert.ToBase64String(feature));
        }).Delivers(journal, journaled);
    }

    private async ValueTask<CameraServiceAnswer> VerifyAsync(CameraServiceRequest request, CancellationToken ct)
    {
        if (request.Body.ValueKind != JsonValueKind.Array || request.Body.GetArrayLength() == 0)
            return CameraServiceAnswer.Error(ErrorCode.BadRequest, "应为数组 / fp=verify takes an array: [{\"feature\": base64}] or two of them");
        var features = request.Body.EnumerateArray().Take(2).Select(Feature).ToList();
        var s = Sensor;
        int confidence;
        JournalEntry? journaled = null;
        if (features.Count == 1)
        {
            (var record, journaled) = await DeviceTasks.RunAsync(session, journal, TaskKind.Fingerprint, request, Wait + TimeSpan.FromSeconds(5),
                new ScreenPrompt("请按手指 / Place your finger on the sensor", "比对 / verifying"), async cancel =>
                {
                    var score = await s.VerifyLiveAsync(features[0], Wait, cancel).ConfigureAwait(false);
                    return TaskProduct.Result([], [new("confidence", score.ToString(CultureInfo.InvariantCulture))]);
                }, ct).ConfigureAwait(false);
            confidence = int.Parse(record.Fields.First(f => f.Key == "confidence").Value, CultureInfo.InvariantCulture);
        }
        else
        {
            confidence = await DeviceTasks.CallAsync(() => s.MatchAsync(features[0], features[1], ct), "指纹比对失败 / fingerprint match failed").ConfigureAwait(false);
        }
        var answer = CameraServiceAnswer.Ok(w => w.WriteString("confidence", Math.Clamp(confidence, 0, 100).ToString(CultureInfo.InvariantCulture)));
        return journaled is null ? answer : answer.Delivers(journal, journaled);
    }

    /// <summary>§8.2 entries: <c>{"feature": b64}</c> or <c>{"type": "feature", "data": b64}</c>; images cannot be matched by the module (6).</summary>
    private static byte[] Feature(JsonElement entry, int index)
    {
        var type = (CameraServiceRequest.Member(entry, "type") ?? "").Trim().ToLowerInvariant();
        var data = type.Length > 0 ? CameraServiceRequest.Member(entry, "data") : CameraServiceRequest.Member(entry, "feature");
        if (type.Length == 0 && data is null)
        {
            if (CameraServiceRequest.Member(entry, "bmp") is not null || CameraServiceRequest.Member(entry, "raw") is not null) type = "bmp";
        }
        if (type is "bmp" or "raw" or "png")
            throw new CameraServiceException(ErrorCode.NotSupported, $"[{index}]: 本设备仅支持特征值比对 / this sensor matches features only, not {type} images");
        if (type.Length > 0 && type != "feature") throw new CameraServiceException(ErrorCode.BadRequest, $"[{index}]: 未知 type / unknown type \"{type}\"");
        try
        {
            return Convert.FromBase64String(data ?? throw new CameraServiceException(ErrorCode.BadRequest, $"[{index}]: 缺少 feature / missing feature data"));
        }
        catch (FormatException)
        {
            throw new CameraServiceException(ErrorCode.BadRequest, $"[{index}]: feature 不是 base64 / feature is not base64");
        }
    }
}
