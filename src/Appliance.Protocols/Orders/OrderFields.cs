using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders;

/// <summary>
/// The members of one JSON object of an order call, read tolerantly (docs/PROTOCOLS.md: names match ignoring case,
/// spaces and underscores, numbers may come as strings). A malformed value is an <see cref="OrderException"/>
/// <see cref="OrderFailure.BadParameter"/> naming its path (<c>signerlist[1].signlist[0].position</c>); what a shape
/// answers with its own code it checks itself.
/// </summary>
public readonly struct OrderFields(JsonElement obj, string path = "")
{
    public JsonElement Element => obj;

    /// <summary>The path of a member for messages.</summary>
    public string PathOf(string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The member, or null when absent or JSON null.</summary>
    public JsonElement? Get(string name) =>
        WireJson.TryGetMember(obj, name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;

    /// <summary>A scalar as text ("" when absent); an object or array is a bad parameter.</summary>
    public string Text(string name) => Get(name) is { } v
        ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw Bad(name, "expected a string"),
        }
        : "";

    /// <summary>An integer (a JSON number or a numeric string); null when absent or empty.</summary>
    public long? Integer(string name)
    {
        var text = Text(name).Trim();
        if (text.Length == 0) return null;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Bad(name, $"expected an integer, found \"{Clip(text)}\"");
    }

    /// <summary>A finite number (a JSON number or a numeric string); null when absent or empty.</summary>
    public double? Number(string name)
    {
        var text = Text(name).Trim();
        if (text.Length == 0) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n : throw Bad(name, $"expected a number, found \"{Clip(text)}\"");
    }

    /// <summary>true / false as JSON booleans, "true" / "false" (any case) or 1 / 0; null when absent or empty.</summary>
    public bool? Flag(string name) => Text(name).Trim().ToLowerInvariant() switch
    {
        "" => null,
        "true" or "1" => true,
        "false" or "0" => false,
        var other => throw Bad(name, $"expected true or false, found \"{Clip(other)}\""),
    };

    /// <summary>An array member's items; null when absent; anything else is a bad parameter.</summary>
    public IReadOnlyList<JsonElement>? Array(string name) => Get(name) is { } v
        ? v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : throw Bad(name, "expected an array")
        : null;

    /// <summary>An object member; null when absent; anything else is a bad parameter.</summary>
    public OrderFields? Object(string name) => Get(name) is { } v
        ? v.ValueKind == JsonValueKind.Object ? new OrderFields(v, PathOf(name)) : throw Bad(name, "expected an object")
        : null;

    /// <summary>The fields of an array item (<c>name[i]</c>); a bad parameter when it is not an object.</summary>
    public static OrderFields Item(JsonElement item, string arrayPath, int index) =>
        item.ValueKind == JsonValueKind.Object ? new OrderFields(item, $"{arrayPath}[{index.ToString(CultureInfo.InvariantCulture)}]")
            : throw new OrderException(OrderFailure.BadParameter, $"{arrayPath}[{index.ToString(CultureInfo.InvariantCulture)}]: expected an object");

    public OrderException Bad(string name, string problem) => new(OrderFailure.BadParameter, $"{PathOf(name)}: {problem}");

    /// <summary>
    /// Base64 bytes; null when absent or empty. A <c>data:…;base64,</c> prefix is skipped, whitespace and JSON escapes
    /// (<c>\/</c>, <c>\n</c>) are allowed. <paramref name="notBase64"/> and <paramref name="tooLarge"/> make the refusals
    /// (default: <see cref="OrderFailure.BadParameter"/> and <see cref="OrderFailure.TooLarge"/>).
    /// </summary>
    public byte[]? Base64(string name, int maxBytes, Func<string, Exception>? notBase64 = null, Func<string, Exception>? tooLarge = null)
    {
        if (Get(name) is not { } v) return null;
        var where = PathOf(name);
        if (v.ValueKind != JsonValueKind.String) throw (notBase64 ?? (m => new OrderException(OrderFailure.BadParameter, m)))($"{where}: expected a base64 string");
        var result = DecodeBase64(v, maxBytes);
        return result switch
        {
            { TooLarge: true } => throw (tooLarge ?? (m => new OrderException(OrderFailure.TooLarge, m)))($"{where}: larger than {maxBytes} bytes"),
            { Bytes: null } => throw (notBase64 ?? (m => new OrderException(OrderFailure.BadParameter, m)))($"{where}: not base64"),
            { Bytes.Length: 0 } => null,
            _ => result.Bytes,
        };
    }

    private readonly record struct Decoded(byte[]? Bytes, bool TooLarge);

    private static Decoded DecodeBase64(JsonElement value, int maxBytes)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1]; // the quotes
        if (raw.StartsWith("data:"u8) && raw.IndexOf(","u8) is var comma and > 0 && raw[..comma].EndsWith(";base64"u8)) raw = raw[(comma + 1)..];
        // Checked before decoding: a body within its limit still cannot make a buffer past maxBytes.
        if ((long)raw.Length * 3 / 4 > maxBytes + maxBytes / 16 + 1024) return new(null, TooLarge: true); // room for line breaks
        if (raw.Length % 4 == 0 && raw.IndexOf((byte)'\\') < 0)
        {
            var exact = raw.Length / 4 * 3 - (raw.EndsWith("=="u8) ? 2 : raw.EndsWith("="u8) ? 1 : 0);
            if (exact > maxBytes) return new(null, TooLarge: true);
            var bytes = GC.AllocateUninitializedArray<byte>(exact);
            if (System.Buffers.Text.Base64.DecodeFromUtf8(raw, bytes, out var consumed, out var written) == System.Buffers.OperationStatus.Done
                && consumed == raw.Length && written == exact)
                return new(bytes, false);
        }
        // Escaped, wrapped or otherwise irregular: the slow path through a string.
        var text = value.GetString() ?? "";
        var comma2 = text.StartsWith("data:", StringComparison.Ordinal) ? text.IndexOf(";base64,", StringComparison.Ordinal) : -1;
        if (comma2 > 0) text = text[(comma2 + ";base64,".Length)..];
        try
        {
            var bytes = Convert.FromBase64String(text);
            return bytes.Length > maxBytes ? new(null, TooLarge: true) : new(bytes, false);
        }
        catch (FormatException)
        {
            return new(null, false);
        }
    }

    /// <summary>
    /// Refuses an object two of whose member names are the same parameter once read tolerantly (<c>orderNumber</c> and
    /// <c>ordernumber</c>): which one a reader takes would be a guess.
    /// </summary>
    public static void RefuseAmbiguousNames(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object) return;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (seen.TryGetValue(WireName.Normalize(p.Name), out var earlier))
                throw new OrderCallException(OrderCallProblem.AmbiguousParameter, $"\"{earlier}\" and \"{p.Name}\" name the same parameter: send one");
            seen.Add(WireName.Normalize(p.Name), p.Name);
        }
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
