using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Devices;
using Appliance.Devices.Fingerprint;
using Appliance.Protocols.Wire;
using SkiaSharp;

namespace Appliance.Protocols.CameraService.Fingerprint;

/// <summary>
/// <c>fp=read</c> (§8.1: bmp / raw / png image plus the feature, or the feature alone) and <c>fp=verify</c> (§8.2: two
/// features matched by the module, or one against a live finger). Reads that need a finger are session tasks. A
/// terminal without a sensor answers 2.
/// </summary>
public sealed class FingerprintGroup(Func<TerminalSession> session, ResultsJournal journal, TerminalSessionOptions options, Func<IFingerprintSensor?> sensor)
    : ICameraServiceGroup
{
    private const string ImagePart = "fingerprint", FeaturePart = "feature";

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("fp", "read", ReadAsync).Map("fp", "verify", VerifyAsync);
    }

    private IFingerprintSensor Sensor => sensor() ?? throw new CameraServiceException(ErrorCode.DeviceAbsent, "此终端没有指纹仪 / this terminal has no fingerprint sensor");

    private TimeSpan Wait => TimeSpan.FromSeconds(options.FingerprintTimeoutSeconds);

    private async ValueTask<CameraServiceAnswer> ReadAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var type = (request.String("type") ?? "bmp").Trim().ToLowerInvariant();
        if (type is not ("bmp" or "raw" or "png" or "feature"))
            return CameraServiceAnswer.Error(ErrorCode.BadRequest, $"type 应为 bmp/raw/png/feature / type must be bmp, raw, png or feature, got \"{request.String("type")}\"");
        var s = Sensor;
        var (record, journaled) = await DeviceTasks.RunAsync(session(), journal, TaskKind.Fingerprint, request, Wait + TimeSpan.FromSeconds(5),
            new ScreenPrompt("请按手指 / Place your finger on the sensor", ""), async cancel =>
            {
                var capture = await s.CaptureAsync(new FingerprintCaptureOptions { WithImage = type != "feature", WithFeature = true, FingerWait = Wait }, cancel).ConfigureAwait(false);
                List<KeyValuePair<string, byte[]>> images = [new(FeaturePart, capture.Feature)];
                if (capture.Image is { } image) images.Insert(0, new(ImagePart, Encode(image, type)));
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
            (var record, journaled) = await DeviceTasks.RunAsync(session(), journal, TaskKind.Fingerprint, request, Wait + TimeSpan.FromSeconds(5),
                new ScreenPrompt("请按手指 / Place your finger on the sensor", "比对 / verifying"), async cancel =>
                {
                    var score = await s.VerifyLiveAsync(features[0], Wait, cancel).ConfigureAwait(false);
                    return TaskProduct.Result([], [new("confidence", score.ToString(CultureInfo.InvariantCulture))]);
                }, ct).ConfigureAwait(false);
            confidence = int.Parse(record.Fields.First(f => f.Key == "confidence").Value, CultureInfo.InvariantCulture);
        }
        else
        {
            try
            {
                confidence = await s.MatchAsync(features[0], features[1], ct).ConfigureAwait(false);
            }
            catch (DeviceException e)
            {
                throw DeviceTasks.Translate(e, "指纹比对失败 / fingerprint match failed");
            }
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

    /// <summary>bmp: 24-bit BMP; raw: 24-bit RGB, no header (§8.1); png: ridges opaque, the blank paper transparent.</summary>
    internal static byte[] Encode(FingerprintImage image, string type) => type switch
    {
        "raw" => Rgb(image),
        "png" => Png(image),
        _ => Bmp(image),
    };

    private static byte[] Rgb(FingerprintImage image)
    {
        var rgb = new byte[image.Pixels.Length * 3];
        for (var i = 0; i < image.Pixels.Length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = image.Pixels[i];
        return rgb;
    }

    private static byte[] Bmp(FingerprintImage image)
    {
        var rowBytes = (image.Width * 3 + 3) & ~3;
        var size = 54 + rowBytes * image.Height;
        var bmp = new byte[size];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), image.Height); // bottom-up
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), rowBytes * image.Height);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(38), 19685); // 500 dpi
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(42), 19685);
        for (var y = 0; y < image.Height; y++)
        {
            var row = 54 + (image.Height - 1 - y) * rowBytes;
            for (var x = 0; x < image.Width; x++)
            {
                var g = image.Pixels[y * image.Width + x];
                bmp[row + x * 3] = bmp[row + x * 3 + 1] = bmp[row + x * 3 + 2] = g;
            }
        }
        return bmp;
    }

    private static byte[] Png(FingerprintImage image)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        var span = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(pixels), pixels.Length);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            span[i * 4] = span[i * 4 + 1] = span[i * 4 + 2] = 0;
            span[i * 4 + 3] = (byte)(255 - image.Pixels[i]); // dark ridge = opaque, white paper = transparent
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
