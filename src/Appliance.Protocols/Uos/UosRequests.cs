using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Appliance.Core.Capture;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Uos;

/// <summary><c>getfinger</c>'s parameters (docs/PROTOCOLS.md): where its window goes, all four or none. Numbers or numeric strings.</summary>
public record UosWindowRequest(
    [property: JsonPropertyName("pos_x")] float? PosX,
    [property: JsonPropertyName("pos_y")] float? PosY,
    [property: JsonPropertyName("width")] float? Width,
    [property: JsonPropertyName("height")] float? Height)
{
    /// <summary>One parameter by its canonical name; <paramref name="fallback"/> when absent or null; code 1 when out of range.</summary>
    public float Number(string key, float fallback, float min, float max)
    {
        if (Given(key) is not { } number) return fallback;
        if (!float.IsFinite(number) || number < min || number > max)
            throw new CaptureException(CaptureFailure.BadRequest,
                $"参数 {key} 超出范围 / {key}: expected {min}..{max}, found {number.ToString(CultureInfo.InvariantCulture)}");
        return number;
    }

    /// <summary>pos_x/pos_y/width/height as a window; null when none is given (the screen's default place).</summary>
    public ScreenRect? Window(int screenWidth, int screenHeight)
    {
        const float Absent = float.NaN;
        var x = Number("pos_x", Absent, 0, screenWidth - 1);
        var y = Number("pos_y", Absent, 0, screenHeight - 1);
        var w = Number("width", Absent, 1, screenWidth);
        var h = Number("height", Absent, 1, screenHeight);
        if (float.IsNaN(x) && float.IsNaN(y) && float.IsNaN(w) && float.IsNaN(h)) return null;
        if (float.IsNaN(x) || float.IsNaN(y) || float.IsNaN(w) || float.IsNaN(h))
            throw new CaptureException(CaptureFailure.BadRequest, "pos_x、pos_y、width、height 须同时给出 / give all of pos_x, pos_y, width and height, or none");
        // A window that would run off the screen is moved back onto it, as the vendor service did.
        var width = (int)w;
        var height = (int)h;
        return new ScreenRect(Math.Clamp((int)x, 0, screenWidth - width), Math.Clamp((int)y, 0, screenHeight - height), width, height);
    }

    protected virtual float? Given(string key) => key switch
    {
        "pos_x" => PosX,
        "pos_y" => PosY,
        "width" => Width,
        "height" => Height,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a parameter of this command"),
    };
}

/// <summary><c>getsign</c>'s parameters (docs/PROTOCOLS.md): the ink width and where the window goes.</summary>
public sealed record UosSignRequest(
    [property: JsonPropertyName("penwidth")] float? PenWidth, float? PosX, float? PosY, float? Width, float? Height)
    : UosWindowRequest(PosX, PosY, Width, Height)
{
    protected override float? Given(string key) => key == "penwidth" ? PenWidth : base.Given(key);
}

/// <summary>The UOS request records, read by System.Text.Json source generation (numbers may come as strings).</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(UosSignRequest))]
[JsonSerializable(typeof(UosWindowRequest))]
internal sealed partial class UosJson : JsonSerializerContext;

internal static class UosRequests
{
    /// <summary>
    /// Reads a command's <c>message</c> into its record. docs/PROTOCOLS.md's tolerance goes beyond what System.Text.Json
    /// can be told, so the message is first rewritten for it: a member matches its parameter ignoring case, spaces and
    /// underscores (<c>" pos _ x "</c> is <c>pos_x</c>; the first of two spellings wins; the rest are ignored), and
    /// string values lose surrounding blanks (<c>" 200 "</c> reads as 200). A value that is not a number is code 1, named.
    /// </summary>
    public static TRequest Read<TRequest>(JsonElement message, JsonTypeInfo<TRequest> info)
    {
        var canonical = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(canonical))
        {
            writer.WriteStartObject();
            var written = new HashSet<string>(StringComparer.Ordinal);
            if (message.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in message.EnumerateObject())
                {
                    if (info.Properties.FirstOrDefault(p => WireName.Matches(member.Name, p.Name)) is not { } parameter || !written.Add(parameter.Name)) continue;
                    writer.WritePropertyName(parameter.Name);
                    if (member.Value.ValueKind == JsonValueKind.String) writer.WriteStringValue(member.Value.GetString()!.Trim());
                    else member.Value.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        try
        {
            return JsonSerializer.Deserialize(canonical.WrittenSpan, info)!;
        }
        catch (JsonException e)
        {
            throw NotANumber(message, e.Path);
        }
    }

    /// <param name="path">Where the reader stopped, <c>$.pos_x</c>.</param>
    private static CaptureException NotANumber(JsonElement message, string? path)
    {
        var key = path is null ? "" : path.TrimStart('$', '.').Split('.', '[')[0];
        var found = WireJson.TryGetMember(message, key, out var value) ? Describe(value) : "an unreadable value";
        return new CaptureException(CaptureFailure.BadRequest, $"参数 {key} 应为数字 / {key}: expected a number, found {found}");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
