using System.Globalization;
using System.Text.Json;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.Wire;
using Appliance.Core.Screen;

namespace Appliance.Protocols.CameraService.Sign;

/// <summary>
/// Seed 003 §9 window parameters (<c>pos</c>, <c>tip_message</c>, <c>valid_sign_rect</c>, <c>sign_buttons_info</c>,
/// <c>buttons</c>, <c>piclist</c>) → the screen's option records. Anything malformed is a code-1 answer naming the field.
/// </summary>
internal static class SignWindowParser
{
    /// <param name="pictures">resolves what the page names as a picture (base64, its own grab, an allowed URL).</param>
    public static async ValueTask<SignatureWindowOptions> SignatureAsync(CameraServiceRequest request, PagePictures pictures, CancellationToken ct)
    {
        var options = new SignatureWindowOptions { Remark = request.String("remark") };
        if (Pos(request, "pos") is { } pos) options = options with { Pos = pos };
        if (request.Object("tip_message") is { } tip)
            options = options with
            {
                TipMessage = new TipMessage
                {
                    Content = CameraServiceRequest.Member(tip, "content") ?? "",
                    FontSize = Float(tip, "fontsize", 24),
                    TextColor = Color(tip, "color", Color(tip, "textcolor", UiColor.Black)),
                },
            };
        if (request.String("opacity") is { } opacity)
            options = options with { Opacity = Clamp(opacity, "opacity", 0, 100) };
        if (request.Object("background_image") is { } background)
            options = options with { BackgroundImage = await pictures.ResolveAsync(background, "background_image", request.Page, ct).ConfigureAwait(false) };
        else if (request.String("background_image") is { Length: > 0 } bgText)
            options = options with { BackgroundImage = await pictures.ResolveAsync(bgText, "background_image", request.Page, ct).ConfigureAwait(false) };
        if (request.Object("valid_sign_rect") is { } valid) options = options with { ValidSignRect = Edges(valid, "valid_sign_rect") };
        if (request.String("penwidth") is { Length: > 0 } width)
            options = options with { PenWidth = Clamp(width, "penwidth", 1, 40) };
        if (Array(request, "sign_buttons_info") is { } buttons)
            foreach (var (b, index) in buttons.EnumerateArray().Select((b, i) => (b, i)))
            {
                var name = WireName.Normalize(CameraServiceRequest.Member(b, "button_name") ?? "");
                SignButtonOptions Apply(SignButtonOptions o) => o with
                {
                    Text = CameraServiceRequest.Member(b, "text") ?? o.Text,
                    Visible = CameraServiceRequest.MemberFlag(b, "visible", o.Visible),
                    Rect = Member(b, "button_rect") is { } r ? ButtonRect(r, $"sign_buttons_info[{index}].button_rect") : o.Rect,
                    FontSize = Float(b, "fontsize", o.FontSize),
                };
                options = name switch
                {
                    _ when name == WireName.Normalize(SignButtonOptions.OkName) => options with { OkButton = Apply(options.OkButton) },
                    _ when name == WireName.Normalize(SignButtonOptions.ResetName) => options with { ResetButton = Apply(options.ResetButton) },
                    _ when name == WireName.Normalize(SignButtonOptions.ReturnName) => options with { ReturnButton = Apply(options.ReturnButton) },
                    _ => throw Bad($"sign_buttons_info: 未知按钮 / unknown button_name \"{CameraServiceRequest.Member(b, "button_name")}\""),
                };
            }
        return options;
    }

    public static async ValueTask<EvaluationWindowOptions> EvaluationAsync(CameraServiceRequest request, PagePictures pictures, CancellationToken ct)
    {
        var options = new EvaluationWindowOptions();
        if (Pos(request, "pos") is { } pos) options = options with { Pos = pos };
        if (request.Object("tip_message") is { } tip)
        {
            options = options with
            {
                TipMessage = new TipMessage
                {
                    Content = CameraServiceRequest.Member(tip, "content") ?? options.TipMessage.Content,
                    FontSize = Float(tip, "fontsize", options.TipMessage.FontSize),
                    TextColor = Color(tip, "textcolor", options.TipMessage.TextColor),
                },
                BackgroundColor = Color(tip, "backgroundcolor", options.BackgroundColor),
            };
        }
        if (Array(request, "buttons") is { } buttons)
            options = options with
            {
                // "0".."3" are the built-in faces; any other icon is a picture the page names.
                Buttons = await ButtonsAsync(buttons, request, pictures, ["0", "1", "2", "3"], (b, content, icon, image) => new EvaluationButton
                {
                    Content = content,
                    FontSize = Float(b, "fontsize", 18),
                    TextColor = Color(b, "textcolor", UiColor.White),
                    ButtonColor = Color(b, "buttoncolor", UiPalette.Button),
                    Icon = icon,
                    IconImage = image,
                    Type = CameraServiceRequest.Member(b, "type") ?? "0",
                }, ct).ConfigureAwait(false),
            };
        return options;
    }

    public static async ValueTask<FloatingButtonGroupOptions> FloatingAsync(CameraServiceRequest request, PagePictures pictures, CancellationToken ct)
    {
        var options = new FloatingButtonGroupOptions();
        if (Pos(request, "pos") is { } pos) options = options with { Pos = pos };
        if (Array(request, "buttons") is { } buttons)
            options = options with
            {
                Buttons = await ButtonsAsync(buttons, request, pictures, [], (b, content, icon, image) => new FloatingButton
                {
                    Content = content,
                    FontSize = Float(b, "fontsize", 18),
                    TextColor = Color(b, "textcolor", UiColor.White),
                    ButtonColor = Color(b, "buttoncolor", UiPalette.Button),
                    Icon = icon,
                    IconImage = image,
                    Width = OptionalInt(b, "width"),
                    Height = OptionalInt(b, "height"),
                    Type = CameraServiceRequest.Member(b, "type") ?? "0",
                }, ct).ConfigureAwait(false),
            };
        return options;
    }

    public static async ValueTask<CarouselOptions> CarouselAsync(CameraServiceRequest request, PagePictures resolver, CancellationToken ct)
    {
        if (Array(request, "piclist") is not { } list || list.GetArrayLength() == 0)
            throw Bad("缺少 piclist / piclist (an array of base64 images, uuids or http URLs) is required");
        var pictures = new List<UiImageSource>();
        foreach (var (p, i) in list.EnumerateArray().Select((p, i) => (p, i)))
            pictures.Add(CameraServiceRequest.Scalar(p) is { Length: > 0 } text
                ? await resolver.ResolveAsync(text, $"piclist[{i}]", request.Page, ct).ConfigureAwait(false)
                : throw Bad($"piclist[{i}] 不是字符串 / is not a string"));
        var seconds = request.String("time") is { Length: > 0 } t ? Clamp(t, "time", 1, 3600) : 5;
        return new CarouselOptions { Pictures = pictures, Interval = TimeSpan.FromSeconds(seconds) };
    }

    /// <summary>
    /// §9.8 / §9.15 <c>buttons[]</c>: each needs a <c>content</c>; an <c>icon</c> that is not one of <paramref name="builtIn"/>
    /// is a picture the page names, resolved here. At least one button.
    /// </summary>
    private static async ValueTask<List<T>> ButtonsAsync<T>(JsonElement buttons, CameraServiceRequest request, PagePictures pictures,
        string[] builtIn, Func<JsonElement, string, string, UiImageSource?, T> make, CancellationToken ct)
    {
        var list = new List<T>();
        foreach (var (b, i) in buttons.EnumerateArray().Select((b, i) => (b, i)))
        {
            var content = CameraServiceRequest.Member(b, "content") ?? throw Bad("buttons: 缺少 content / every button needs a content");
            var icon = CameraServiceRequest.Member(b, "icon") ?? "";
            var image = icon.Length == 0 || builtIn.Contains(icon) ? null
                : await pictures.ResolveAsync(icon, $"buttons[{i}].icon", request.Page, ct).ConfigureAwait(false);
            list.Add(make(b, content, icon, image));
        }
        return list.Count > 0 ? list : throw Bad("buttons: 至少一个按钮 / at least one button");
    }

    /// <summary><c>{left, top, width, height}</c> in px, or <c>{left, top, right, bottom}</c> with px/% units.</summary>
    private static UiPos? Pos(CameraServiceRequest request, string name)
    {
        if (request.Object(name) is not { } pos) return null;
        if (CameraServiceRequest.Member(pos, "width") is not null || CameraServiceRequest.Member(pos, "height") is not null)
        {
            var left = CameraServiceRequest.MemberInt(pos, "left", 0);
            var top = CameraServiceRequest.MemberInt(pos, "top", 0);
            var width = CameraServiceRequest.MemberInt(pos, "width", 0);
            var height = CameraServiceRequest.MemberInt(pos, "height", 0);
            if (width <= 0 || height <= 0 || left < 0 || top < 0) throw Bad($"{name}: 位置或大小无效 / left/top must be ≥ 0 and width/height > 0");
            return UiPos.FromSize(left, top, width, height);
        }
        return UiPos.FromEdges(Edges(pos, name));
    }

    private static UiEdges Edges(JsonElement obj, string name)
    {
        UiLength L(string edge, UiLength fallback)
        {
            var text = CameraServiceRequest.Member(obj, edge);
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            return UiLength.TryParse(text, out var length) ? length : throw Bad($"{name}.{edge}: 无效长度 / \"{text}\" is not a px or % length");
        }
        return new UiEdges(L("left", UiLength.Px(0)), L("top", UiLength.Px(0)), L("right", UiLength.Percent(100)), L("bottom", UiLength.Percent(100)));
    }

    /// <summary>
    /// Seed 003 types <c>button_rect</c> as a String "defined as valid_sign_rect": accepted as that object, as its JSON
    /// text (<c>"{\"left\":\"10\",...}"</c>) or as <c>"left,top,right,bottom"</c> (px or %, px when no unit).
    /// </summary>
    private static UiEdges ButtonRect(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Object) return Edges(value, name);
        var text = CameraServiceRequest.Scalar(value)?.Trim() ?? "";
        if (text.Length == 0) throw Bad($"{name}: 为空 / is empty; expected \"left,top,right,bottom\" or {{\"left\":..}}");
        if (text.StartsWith('{'))
        {
            try
            {
                using var doc = WireJson.Parse(text);
                if (doc.RootElement.ValueKind == JsonValueKind.Object) return Edges(doc.RootElement.Clone(), name);
            }
            catch (JsonException)
            {
                // reported below with the text
            }
            throw Bad($"{name}: 不是有效的 JSON 对象 / \"{text}\" is not a JSON object with left/top/right/bottom");
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
            throw Bad($"{name}: 需要 4 个值 / \"{text}\" must be \"left,top,right,bottom\" (px or %)");
        var edges = new UiLength[4];
        for (var i = 0; i < 4; i++)
            if (!UiLength.TryParse(parts[i], out edges[i]))
                throw Bad($"{name}: 无效长度 / \"{parts[i]}\" in \"{text}\" is not a px or % length");
        return new UiEdges(edges[0], edges[1], edges[2], edges[3]);
    }

    private static JsonElement? Array(CameraServiceRequest request, string name)
    {
        foreach (var p in request.Body.EnumerateObject())
            if (WireName.Matches(p.Name, name))
                return p.Value.ValueKind == JsonValueKind.Array ? p.Value : throw Bad($"{name} 应为数组 / {name} must be an array");
        return null;
    }

    private static JsonElement? Member(JsonElement obj, string name)
    {
        foreach (var p in obj.EnumerateObject())
            if (WireName.Matches(p.Name, name)) return p.Value;
        return null;
    }

    private static UiColor Color(JsonElement obj, string name, UiColor fallback)
    {
        var text = CameraServiceRequest.Member(obj, name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return UiColor.TryParse(text, out var color) ? color : throw Bad($"{name}: 无效颜色 / \"{text}\" is not a colour (0xRRGGBB)");
    }

    private static float Float(JsonElement obj, string name, float fallback)
    {
        var text = CameraServiceRequest.Member(obj, name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return float.TryParse(text.Trim().Replace("px", "", StringComparison.OrdinalIgnoreCase), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 400
            ? f
            : throw Bad($"{name}: 无效数值 / \"{text}\" must be a number 1..400");
    }

    private static int? OptionalInt(JsonElement obj, string name)
    {
        var n = CameraServiceRequest.MemberInt(obj, name, -1);
        return n < 0 ? null : n;
    }

    private static int Clamp(string text, string name, int min, int max) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Bad($"{name} 应为 {min}..{max} 的整数 / {name} must be an integer {min}..{max}, got \"{text}\"");

    private static CameraServiceException Bad(string message) => new(ErrorCode.BadRequest, message);
}
