using System.Globalization;
using System.Text.Json;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.CameraService;

/// <summary>
/// One CameraService call, whichever way it came: <c>/group=action&amp;k=v</c> (plus any <c>?k=v</c>) with a
/// JSON body, or a WebSocket <c>{"function", "params"}</c>. Parameter names are tolerant (case, spaces and
/// underscores ignored); values may be JSON strings or numbers. The body wins over the URL.
/// </summary>
public sealed class CameraServiceRequest
{
    private readonly Dictionary<string, string> _query;
    private readonly Dictionary<string, JsonElement> _body;

    internal CameraServiceRequest(string group, string action, Dictionary<string, string> query, JsonElement body, HttpContext? http,
        PageIdentity? page = null, string? session = null, CameraServicePush? push = null)
    {
        Session = session;
        Push = push;
        Group = group;
        Action = action;
        _query = query;
        Body = body;
        _body = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.ValueKind == JsonValueKind.Object)
            foreach (var p in body.EnumerateObject())
                _body.TryAdd(WireName.Normalize(p.Name), p.Value);
        Http = http;
        Page = page ?? (http is null ? PageIdentity.Unknown : PageIdentity.From(http));
    }

    /// <summary>The WebSocket connection the call came over (the page's session, see <see cref="IPageSessionEnd"/>); null over HTTP.</summary>
    public string? Session { get; }

    /// <summary>The WebSocket connection the call came over, for later messages of the terminal's own; null over HTTP.</summary>
    public CameraServicePush? Push { get; }

    /// <summary>The page that sent the call (its PC and Origin), over HTTP or WebSocket alike.</summary>
    public PageIdentity Page { get; }

    /// <summary>Normalised group and action (<c>video</c>, <c>grabimage</c>).</summary>
    public string Group { get; }
    public string Action { get; }

    /// <summary>The JSON body (an object; <c>{}</c> when empty).</summary>
    public JsonElement Body { get; }

    /// <summary>The HTTP exchange; null over WebSocket.</summary>
    public HttpContext? Http { get; }

    /// <summary>Body property names in the order they were sent, normalised.</summary>
    public IEnumerable<string> BodyNames => Body.ValueKind == JsonValueKind.Object ? Body.EnumerateObject().Select(p => WireName.Normalize(p.Name)) : [];

    public bool Has(string name) => _body.ContainsKey(WireName.Normalize(name)) || _query.ContainsKey(WireName.Normalize(name));

    /// <summary>A scalar parameter as text, or null when absent (or not a scalar).</summary>
    public string? String(string name)
    {
        var key = WireName.Normalize(name);
        if (_body.TryGetValue(key, out var value)) return Scalar(value);
        return _query.GetValueOrDefault(key);
    }

    public JsonElement? Object(string name) =>
        _body.TryGetValue(WireName.Normalize(name), out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>An integer parameter; <paramref name="fallback"/> when absent; <see cref="CameraServiceException"/> (code 1) when malformed.</summary>
    public int Int(string name, int fallback)
    {
        if (_body.TryGetValue(WireName.Normalize(name), out var value) && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            throw new CameraServiceException(ErrorCode.BadRequest, $"参数 {name} 应为整数 / {name} must be an integer, got {(value.ValueKind == JsonValueKind.Object ? "an object" : "an array")}");
        var text = String(name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new CameraServiceException(ErrorCode.BadRequest, $"参数 {name} 应为整数 / {name} must be an integer, got \"{text}\"");
    }

    /// <summary>
    /// A "true"/"false" parameter (the seed types flags as strings; "1"/"0" and JSON booleans too);
    /// <paramref name="fallback"/> when absent; <see cref="CameraServiceException"/> (code 1) naming it when anything else.
    /// </summary>
    public bool Flag(string name, bool fallback)
    {
        var text = String(name)?.Trim().ToLowerInvariant();
        return text switch
        {
            null or "" => fallback,
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw new CameraServiceException(ErrorCode.BadRequest, $"参数 {name} 应为 \"true\" 或 \"false\" / {name} must be \"true\" or \"false\", got \"{text}\""),
        };
    }

    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "1",
        JsonValueKind.False => "0",
        _ => null,
    };

    /// <summary>A scalar inside a nested object (<c>image_process_info.rotate</c>), tolerant of names.</summary>
    public static string? Member(JsonElement? obj, string name)
    {
        return obj is { } o && WireJson.TryGetMember(o, name, out var value) ? Scalar(value) : null;
    }

    public static int MemberInt(JsonElement? obj, string name, int fallback)
    {
        var text = Member(obj, name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new CameraServiceException(ErrorCode.BadRequest, $"参数 {name} 应为整数 / {name} must be an integer, got \"{text}\"");
    }

    /// <summary>"1"/"true" → true, "0"/"false"/absent → fallback/false.</summary>
    public static bool MemberFlag(JsonElement? obj, string name, bool fallback = false) =>
        Member(obj, name)?.Trim().ToLowerInvariant() switch { "1" or "true" => true, "0" or "false" => false, _ => fallback };
}

/// <summary>Thrown by a handler to answer with a code and message (the connection stays up).</summary>
public sealed class CameraServiceException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;

    /// <summary>Runs once the error answer reached the PC (a journaled failure is delivered by it), as <see cref="CameraServiceAnswer.Written"/>.</summary>
    public Action? Written { get; init; }
}
