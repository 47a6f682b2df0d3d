using System.Globalization;
using Appliance.Core.Capture;
using Appliance.Core.Screen;
using Appliance.Protocols.Admin;
using Appliance.Protocols.CameraService.Sign;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.CameraService.Video;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.Param;

/// <summary>
/// <c>param=get</c> / <c>param=set</c> (seed 003 §5). <c>get</c> is chosen by <c>type</c>; <c>set</c> by the first
/// known setting in the body (or <c>type</c> for the cache calls). Camera values go to the camera (<c>camidx</c>);
/// terminal-wide choices are kept in <see cref="ParamSettings"/>.
/// </summary>
public sealed class ParamGroup : ICameraServiceGroup
{
    /// <summary>The sign screen's "camera index" in the vendor OCX (§9.11).</summary>
    public const int SignScreenIndex = 10;

    private readonly ICameraSet _cameras;
    private readonly ITerminalScreen _screen;
    private readonly TerminalStatus _status;
    private readonly ParamSettings _settings;
    private readonly SignStreamOptions _signStream;
    private readonly PageImageStore _images;

    public ParamGroup(ICameraSet cameras, ITerminalScreen screen, TerminalStatus status, ParamSettings settings, SignStreamOptions signStream, PageImageStore images)
    {
        _images = images;
        (_cameras, _screen, _status, _settings, _signStream) = (cameras, screen, status, settings, signStream);
        // What param=set stored must also work after a restart, before any stream is opened: the port builds its
        // groups before it serves the first request.
        foreach (var camera in _cameras.All) ApplyStored(camera.Index);
        ApplyStored(SignScreenIndex);
    }

    private void ApplyStored(int camidx)
    {
        var index = Text(camidx);
        if (int.TryParse(_settings.Get($"framerate.{index}"), NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate is >= 1 and <= 60)
            ApplyFrameRate(camidx, rate);
        if (_settings.Get($"preview_resolution.{index}")?.Split('x') is [var w, var h]
            && int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var width) && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            && width is > 0 and <= 8192 && height is > 0 and <= 8192)
            ApplyPreviewSize(camidx, width, height);
    }

    private void ApplyFrameRate(int camidx, int rate)
    {
        if (camidx == SignScreenIndex) _signStream.FrameRate = rate;
        else _cameras.Get(camidx)?.SetStreamFrameRate(rate);
    }

    private void ApplyPreviewSize(int camidx, int width, int height)
    {
        if (camidx == SignScreenIndex) _signStream.MaxSize = (width, height);
        else _cameras.Get(camidx)?.SetStreamMaxSize(width, height);
    }

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("param", "get", (r, _) => ValueTask.FromResult(Get(r)));
        routes.Map("param", "set", (r, _) => ValueTask.FromResult(Set(r)), maxBody: BodyLimits.Cache);
    }

    private CameraServiceAnswer Get(CameraServiceRequest request)
    {
        var type = WireName.Normalize(request.String("type") ?? "");
        return type switch
        {
            "resolution" => Resolutions(request),
            "currentresolution" => CurrentResolution(request),
            "appversion" => CameraServiceAnswer.Ok(w => w.WriteString("app_version", _status.Version)),
            "serialnumber" => CameraServiceAnswer.Ok(w => w.WriteString("serial_number", _status.Identity.Serial)),
            "screenpos" => CameraServiceAnswer.Ok(w =>
            {
                w.WriteStartObject("pos");
                w.WriteString("x", "0");
                w.WriteString("y", "0");
                w.WriteString("width", Text(_screen.Size.Width));
                w.WriteString("height", Text(_screen.Size.Height));
                w.WriteEndObject();
            }),
            "availablevideotype" => AvailableVideoTypes(request),
            "videotype" => VideoType(request),
            "deviceinfo" => CameraServiceAnswer.Ok(w =>
            {
                w.WriteStartObject("device_info");
                w.WriteString("serial_number", _status.Identity.Serial);
                w.WriteString("brand_name", "Appliance");
                w.WriteString("device_type", _status.Board.Model);
                w.WriteString("company_name", "");
                w.WriteString("credit_code", "");
                w.WriteEndObject();
            }),
            "previewresolution" => PreviewResolution(request),
            "framerate" => Stored("framerate", _settings.Get(Key("framerate", request)) ?? ""),
            "enablesignscreenmouse" => Stored("enable_sign_screen_mouse", _settings.Get("enable_sign_screen_mouse") ?? "1"),
            "cutpage" => Stored("cutpage", _settings.Get("cutpage") ?? "false"),
            "getcachedata" => CacheGet(request),
            "getallcachedata" => CameraServiceAnswer.Ok(w =>
            {
                w.WriteStartArray("all_cache_data");
                foreach (var (k, v) in _settings.CacheAll())
                {
                    w.WriteStartObject();
                    w.WriteString("key", k);
                    w.WriteString("value", v);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }),
            "" => CameraServiceAnswer.Error(ErrorCode.BadRequest, "缺少 type / param=get needs a type"),
            _ => CameraServiceAnswer.Error(ErrorCode.NotSupported, $"不支持的 type / unknown param=get type \"{request.String("type")}\""),
        };
    }

    /// <summary>Values are read now: the answer's writer runs after the request body is gone.</summary>
    private static CameraServiceAnswer Stored(string name, string value) => CameraServiceAnswer.Ok(w => w.WriteString(name, value));

    private CameraServiceAnswer Set(CameraServiceRequest request)
    {
        var type = WireName.Normalize(request.String("type") ?? "");
        if (type == "setcachedata")
        {
            var key = request.String("key");
            if (string.IsNullOrEmpty(key)) return CameraServiceAnswer.Error(ErrorCode.BadRequest, "缺少 key / set_cache_data needs a key");
            var value = request.String("value") ?? throw new CameraServiceException(ErrorCode.BadRequest, "value 必须为字符串 / value must be a string");
            return _settings.CacheSet(key, value) is { } full ? CameraServiceAnswer.Error(ErrorCode.TooLarge, full) : CameraServiceAnswer.Ok();
        }
        if (type == "cleancachedata")
        {
            // The page's whole cache: its keys and the pictures it grabbed (docs/PRIVACY.md).
            _settings.CacheClear();
            _images.Forget(request.Page);
            return CameraServiceAnswer.Ok();
        }
        foreach (var name in request.BodyNames.Concat(["framerate", "resolution", "enablesignscreenmouse", "cutpage", "videotype", "previewresolution", "largetext"]))
            switch (name)
            {
                case "framerate" when request.Has("framerate"): return SetFrameRate(request);
                case "resolution" when request.Object("resolution") is not null: return SetResolution(request);
                case "enablesignscreenmouse" when request.Has(name): return SetFlag(request, "enable_sign_screen_mouse", ["0", "1"]);
                case "cutpage" when request.Has(name): return SetCutPage(request);
                case "videotype" when request.Has(name): return SetVideoType(request);
                case "previewresolution" when request.Object("preview_resolution") is not null: return SetPreviewResolution(request);
                case "largetext" when request.Has(name): return SetLargeText(request);
            }
        return CameraServiceAnswer.Error(ErrorCode.BadRequest,
            "缺少要设置的参数 / param=set needs one of framerate, resolution, enable_sign_screen_mouse, cutpage, video_type, preview_resolution, large_text, type=set_cache_data|clean_cache_data");
    }

    /// <summary>
    /// An addition (issue 23): <c>large_text</c> "1" turns large-text mode on (text 1.5 ×), "0" off, or a scale 1-2
    /// ("1.25"). The screen redraws at once; the answer carries the scale now in effect.
    /// </summary>
    private CameraServiceAnswer SetLargeText(CameraServiceRequest request)
    {
        var text = request.String("large_text")?.Trim() ?? "";
        float scale = text switch
        {
            "0" => 1f,
            "1" => 1.5f,
            _ when float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 2 => s,
            _ => throw new CameraServiceException(ErrorCode.BadRequest, $"large_text 取值 0、1 或 1-2 的倍数 / large_text must be 0, 1 or a scale 1..2, got \"{text}\""),
        };
        _screen.TextScale = scale;
        return CameraServiceAnswer.Ok(w => w.WriteString("large_text", _screen.TextScale.ToString("0.##", CultureInfo.InvariantCulture)));
    }

    // ---------------------------------------------------------------- camera values

    private ICameraChannel Camera(CameraServiceRequest request)
    {
        var index = request.Int("camidx", 0);
        return _cameras.Get(index) ?? throw new CameraServiceException(ErrorCode.DeviceAbsent, $"摄像头 {index} 不存在 / this terminal has no camera {index}");
    }

    private static IReadOnlyList<CameraMode> Modes(ICameraChannel camera)
    {
        var modes = camera.Modes;
        if (modes.Count == 0)
        {
            camera.Probe();
            modes = camera.Modes;
        }
        return modes.Count > 0 ? modes
            : throw new CameraServiceException(ErrorCode.DeviceAbsent, $"摄像头 {camera.Index} 未连接 / camera {camera.Index} is not connected: {camera.Detail}");
    }

    private CameraServiceAnswer Resolutions(CameraServiceRequest request)
    {
        var sizes = Modes(Camera(request)).Select(m => (m.Width, m.Height)).Distinct().OrderByDescending(s => s.Width * s.Height).Select(s => $"{s.Width}x{s.Height}");
        var text = string.Join(' ', sizes);
        return CameraServiceAnswer.Ok(w => w.WriteString("resolution", text));
    }

    private CameraServiceAnswer CurrentResolution(CameraServiceRequest request)
    {
        var camera = Camera(request);
        var text = camera.CurrentMode is { } mode ? $"{mode.Width}x{mode.Height}" : $"{camera.CaptureSize.Width}x{camera.CaptureSize.Height}";
        return CameraServiceAnswer.Ok(w => w.WriteString("resolution", text));
    }

    private CameraServiceAnswer SetResolution(CameraServiceRequest request)
    {
        var camera = Camera(request);
        var size = request.Object("resolution");
        var width = CameraServiceRequest.MemberInt(size, "width", 0);
        var height = CameraServiceRequest.MemberInt(size, "height", 0);
        if (width <= 0 || height <= 0) return CameraServiceAnswer.Error(ErrorCode.BadRequest, "resolution 需要 width 和 height / resolution needs width and height > 0");
        try
        {
            var mode = camera.Resize(width, height);
            return CameraServiceAnswer.Ok(w => w.WriteString("resolution", $"{mode.Width}x{mode.Height}"));
        }
        catch (CaptureException e)
        {
            throw VideoGroup.Answer(e);
        }
    }

    private CameraServiceAnswer SetFrameRate(CameraServiceRequest request)
    {
        var rate = request.Int("framerate", 0);
        if (rate is < 1 or > 60) return CameraServiceAnswer.Error(ErrorCode.BadRequest, "framerate 应为 1..60 / framerate must be 1..60");
        var index = request.Int("camidx", 0);
        if (index != SignScreenIndex) _ = Camera(request);
        ApplyFrameRate(index, rate);
        _settings.Set(Key("framerate", request), Text(rate));
        return CameraServiceAnswer.Ok();
    }

    private static string Wire(CameraPixelFormat format) => format == CameraPixelFormat.Mjpeg ? "MJPG" : "YUY2";

    private CameraServiceAnswer AvailableVideoTypes(CameraServiceRequest request)
    {
        // §5.10 spells the JPEG stream "MJPEG" in its example.
        var types = Modes(Camera(request)).Select(m => m.Format == CameraPixelFormat.Mjpeg ? "MJPEG" : "YUY2").Distinct().ToList();
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteStartArray("available_video_type");
            foreach (var t in types) w.WriteStringValue(t);
            w.WriteEndArray();
        });
    }

    private CameraServiceAnswer VideoType(CameraServiceRequest request)
    {
        var camera = Camera(request);
        var format = camera.CurrentMode?.Format ?? Modes(camera)[0].Format;
        return CameraServiceAnswer.Ok(w => w.WriteString("video_type", Wire(format)));
    }

    /// <summary>§5.12: the driver picks the format it can pass through; asking for the one in use is fine, another is not supported.</summary>
    private CameraServiceAnswer SetVideoType(CameraServiceRequest request)
    {
        var wanted = (request.String("video_type") ?? "").Trim().ToUpperInvariant();
        if (wanted is not ("MJPG" or "MJPEG" or "YUY2" or "YUYV"))
            return CameraServiceAnswer.Error(ErrorCode.BadRequest, $"video_type 应为 MJPG 或 YUY2 / video_type must be MJPG or YUY2, got \"{request.String("video_type")}\"");
        var camera = Camera(request);
        var modes = Modes(camera);
        var format = wanted is "MJPG" or "MJPEG" ? CameraPixelFormat.Mjpeg : CameraPixelFormat.Yuyv;
        if (!modes.Any(m => m.Format == format))
            return CameraServiceAnswer.Error(ErrorCode.NotSupported, $"摄像头不支持 {wanted} / camera {camera.Index} does not offer {wanted}");
        var current = camera.CurrentMode?.Format ?? modes[0].Format;
        if (current != format)
            return CameraServiceAnswer.Error(ErrorCode.NotSupported, $"摄像头 {camera.Index} 使用 {Wire(current)}，无法切换 / the driver streams {Wire(current)} and cannot switch to {wanted}");
        _settings.Set(Key("video_type", request), Wire(format));
        return CameraServiceAnswer.Ok();
    }

    private CameraServiceAnswer PreviewResolution(CameraServiceRequest request)
    {
        var stored = _settings.Get(Key("preview_resolution", request));
        string width, height;
        if (stored?.Split('x') is [var w0, var h0]) (width, height) = (w0, h0);
        else if (request.Int("camidx", 0) == SignScreenIndex) (width, height) = (Text(_screen.Size.Width), Text(_screen.Size.Height));
        else
        {
            var camera = Camera(request);
            var mode = camera.CurrentMode;
            (width, height) = (Text(mode?.Width ?? camera.CaptureSize.Width), Text(mode?.Height ?? camera.CaptureSize.Height));
        }
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteStartObject("preview_resolution");
            w.WriteString("width", width);
            w.WriteString("height", height);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// §5.14: stream frames (video=stream, and sign=stream for camidx 10) are fitted inside width × height keeping the
    /// source's aspect ratio, never enlarged; grabs keep the full size. Stored as asked (param=get answers that).
    /// </summary>
    private CameraServiceAnswer SetPreviewResolution(CameraServiceRequest request)
    {
        var index = request.Int("camidx", 0);
        if (index != SignScreenIndex) _ = Camera(request);
        var size = request.Object("preview_resolution");
        var width = CameraServiceRequest.MemberInt(size, "width", 0);
        var height = CameraServiceRequest.MemberInt(size, "height", 0);
        if (width is <= 0 or > 8192 || height is <= 0 or > 8192)
            return CameraServiceAnswer.Error(ErrorCode.BadRequest, "preview_resolution 需要 width 和 height / preview_resolution needs width and height 1..8192");
        ApplyPreviewSize(index, width, height);
        _settings.Set(Key("preview_resolution", request), $"{width}x{height}");
        return CameraServiceAnswer.Ok();
    }

    // ---------------------------------------------------------------- terminal-wide settings

    private CameraServiceAnswer SetFlag(CameraServiceRequest request, string name, string[] allowed)
    {
        var value = (request.String(name) ?? "").Trim();
        if (!allowed.Contains(value))
            return CameraServiceAnswer.Error(ErrorCode.BadRequest, $"{name} 应为 {string.Join("/", allowed)} / {name} must be one of {string.Join(", ", allowed)}");
        _settings.Set(name, value);
        return CameraServiceAnswer.Ok();
    }

    private CameraServiceAnswer SetCutPage(CameraServiceRequest request)
    {
        var answer = SetFlag(request, "cutpage", ["true", "false"]);
        if (!answer.IsSuccess) return answer;
        if (request.String("multi_object") is { } multi)
        {
            if (multi.Trim() is not ("true" or "false")) return CameraServiceAnswer.Error(ErrorCode.BadRequest, "multi_object 应为 true/false / multi_object must be true or false");
            _settings.Set("multi_object", multi.Trim());
        }
        if (request.String("cutratio") is { Length: > 0 } ratio)
        {
            if (!double.TryParse(ratio, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || r <= 0 || r > 100)
                return CameraServiceAnswer.Error(ErrorCode.BadRequest, $"cutratio 应为正数 / cutratio must be a positive number, got \"{ratio}\"");
            _settings.Set("cutratio", ratio.Trim());
        }
        return CameraServiceAnswer.Ok();
    }

    private CameraServiceAnswer CacheGet(CameraServiceRequest request)
    {
        var key = request.String("key");
        if (string.IsNullOrEmpty(key)) return CameraServiceAnswer.Error(ErrorCode.BadRequest, "缺少 key / get_cache_data needs a key");
        if (_settings.CacheGet(key) is not { } value) return CameraServiceAnswer.Error(ErrorCode.BadRequest, $"无此缓存 / no cached value for \"{key}\"");
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteString("key", key);
            w.WriteString("value", value);
        });
    }

    private static string Key(string name, CameraServiceRequest request) => $"{name}.{request.Int("camidx", 0).ToString(CultureInfo.InvariantCulture)}";

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
