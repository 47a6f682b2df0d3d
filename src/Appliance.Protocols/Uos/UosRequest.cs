using System.Globalization;
using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Uos;

/// <summary>A malformed parameter: answered with code 1 and this message.</summary>
public sealed class UosBadRequestException(string message) : Exception(message);

/// <summary>Reads the <c>message</c> object of a request with PROTOCOLS.md's tolerance (names, numbers as strings).</summary>
public readonly struct UosRequest
{
    private readonly JsonElement _message;

    public UosRequest(JsonElement message) => _message = message;

    public bool HasMessage => _message.ValueKind == JsonValueKind.Object;

    /// <summary>A number given as a JSON number or a numeric string; <paramref name="fallback"/> when absent or null.</summary>
    public float Number(string key, float fallback, float min, float max)
    {
        if (!HasMessage || !UosCommandHandler.TryGetProperty(_message, key, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        float number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetSingle(out var n)) number = n;
        else if (value.ValueKind == JsonValueKind.String && float.TryParse(value.GetString()?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)) number = s;
        else throw new UosBadRequestException($"参数 {key} 应为数字 / {key}: expected a number, found {Describe(value)}");
        if (!float.IsFinite(number) || number < min || number > max)
            throw new UosBadRequestException($"参数 {key} 超出范围 / {key}: expected {min}..{max}, found {number.ToString(CultureInfo.InvariantCulture)}");
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
            throw new UosBadRequestException("pos_x、pos_y、width、height 须同时给出 / give all of pos_x, pos_y, width and height, or none");
        // A window that would run off the screen is moved back onto it, as the vendor service did.
        var width = (int)w;
        var height = (int)h;
        return new ScreenRect(Math.Clamp((int)x, 0, screenWidth - width), Math.Clamp((int)y, 0, screenHeight - height), width, height);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };

    /// <summary>The error answer for a request the handler could not understand.</summary>
    public static byte[] BadRequest(string message) => UosMessages.Error(ErrorCode.BadRequest, message);
}
