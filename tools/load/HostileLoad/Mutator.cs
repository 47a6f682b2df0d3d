using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HostileLoad;

/// <summary>One input to send: what was done to the seed, and the bytes.</summary>
internal sealed record Mutant(string Description, byte[] Bytes);

/// <summary>
/// Turns a well-formed JSON request into hostile ones: the whole body replaced or broken (not JSON, BOMs, UTF-16,
/// truncation, deep nesting, huge), every key with bad bytes in it, every field with a wrong type or an absurd number,
/// every string with invalid UTF-8, lone surrogates and NULs, and random byte-level damage from a seeded generator.
/// </summary>
internal static class Mutator
{
    private const string Placeholder = "\u0001hostile-load-placeholder\u0001";
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string FortyDigits = "1234567890123456789012345678901234567890";

    /// <summary>Raw JSON (or not-quite-JSON) put in place of each field's value in turn.</summary>
    private static readonly (string Name, string Raw)[] WrongValues =
    [
        ("1e400", "1e400"),
        ("-1e400", "-1e400"),
        ("40-digit integer", FortyDigits),
        ("-2147483649", "-2147483649"),
        ("2^63", "9223372036854775808"),
        ("0.5", "0.5"),
        ("-1", "-1"),
        ("true", "true"),
        ("null", "null"),
        ("[]", "[]"),
        ("{}", "{}"),
        ("[1,\"a\",{}]", "[1,\"a\",{}]"),
        ("{\"a\":{\"b\":[1]}}", "{\"a\":{\"b\":[1]}}"),
        ("\"\"", "\"\""),
        ("\"1e400\"", "\"1e400\""),
        ("\"-1\"", "\"-1\""),
        ("\"40 digits\"", $"\"{FortyDigits}\""),
        ("\"\\ud800\"", "\"\\ud800\""),
        ("\"a\\u0000b\"", "\"a\\u0000b\""),
        ("10000-char string", $"\"{new string('x', 10_000)}\""),
        ("1000-deep array", new string('[', 1000) + new string(']', 1000)),
        ("NaN (not JSON)", "NaN"),
        ("-Infinity (not JSON)", "-Infinity"),
    ];

    /// <summary>Put inside every string value in turn.</summary>
    private static readonly (string Name, byte[] Bytes)[] StringPoisons =
    [
        ("invalid UTF-8 0xA7", [0xA7]),
        ("invalid UTF-8 0xFF 0xFE", [0xFF, 0xFE]),
        ("overlong UTF-8 0xC0 0xAF", [0xC0, 0xAF]),
        ("UTF-8-encoded surrogate 0xED 0xA0 0x80", [0xED, 0xA0, 0x80]),
        ("truncated UTF-8 0xE4 0xB8", [0xE4, 0xB8]),
        ("lone surrogate \\ud800", "\\ud800"u8.ToArray()),
        ("lone low surrogate \\udc00", "\\udc00"u8.ToArray()),
        ("two high surrogates \\ud800\\ud800", "\\ud800\\ud800"u8.ToArray()),
        ("raw NUL", [0x00]),
        ("escaped NUL \\u0000", "\\u0000"u8.ToArray()),
        ("raw control 0x01", [0x01]),
        ("raw newline", [0x0A]),
    ];

    /// <summary>Put inside every key in turn.</summary>
    private static readonly (string Name, byte[] Bytes)[] KeyPoisons =
    [
        ("invalid UTF-8 0xA7", [0xA7]),
        ("invalid UTF-8 0xFF", [0xFF]),
        ("lone surrogate \\ud800", "\\ud800"u8.ToArray()),
        ("raw NUL", [0x00]),
    ];

    private static readonly (string Name, byte[] Bytes)[] RandomInserts =
    [
        ("0xA7", [0xA7]), ("0xFF", [0xFF]), ("\\ud800", "\\ud800"u8.ToArray()), ("\\u0000", "\\u0000"u8.ToArray()), ("NUL", [0]),
        ("[", "["u8.ToArray()), ("\"", "\""u8.ToArray()), ("{", "{"u8.ToArray()), ("}", "}"u8.ToArray()), (",", ","u8.ToArray()),
        ("1e400", "1e400"u8.ToArray()), ("40 digits", Encoding.ASCII.GetBytes(FortyDigits)), ("1000 '['", Encoding.ASCII.GetBytes(new string('[', 1000))),
        ("0xED 0xA0 0x80", [0xED, 0xA0, 0x80]), ("BOM", [0xEF, 0xBB, 0xBF]),
    ];

    /// <summary>Every fixed mutation of <paramref name="seed"/> (the same list on every run).</summary>
    public static IEnumerable<Mutant> Fixed(string seed)
    {
        var bytes = Encoding.UTF8.GetBytes(seed);
        foreach (var m in WholeBody(seed, bytes)) yield return m;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(seed);
        }
        catch (JsonException)
        {
            yield break;
        }
        if (root is null) yield break;
        foreach (var path in Paths(root))
        {
            var name = PathName(path);
            foreach (var (what, raw) in WrongValues)
                yield return new Mutant($"{name} := {what}", Replace(root, path, Encoding.UTF8.GetBytes(raw)));
            yield return new Mutant($"{name} removed", Remove(root, path));
            if (Navigate(root, path) is JsonValue value && value.TryGetValue<string>(out var text))
            {
                var content = JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray();
                var at = Math.Min(2, content.Length);
                foreach (var (what, poison) in StringPoisons)
                    yield return new Mutant($"{name}: {what} inside the string", Replace(root, path, [(byte)'"', .. content.AsSpan(0, at), .. poison, .. content.AsSpan(at), (byte)'"']));
            }
            if (path[^1] is string key)
            {
                var keyBytes = Encoding.UTF8.GetBytes(key);
                var at = Math.Min(2, keyBytes.Length);
                foreach (var (what, poison) in KeyPoisons)
                    yield return new Mutant($"key {name}: {what} inside it", RenameKey(root, path, [(byte)'"', .. keyBytes.AsSpan(0, at), .. poison, .. keyBytes.AsSpan(at), (byte)'"']));
            }
        }
    }

    private static IEnumerable<Mutant> WholeBody(string seed, byte[] bytes)
    {
        static byte[] A(string s) => Encoding.UTF8.GetBytes(s);
        var isObject = seed.TrimStart().StartsWith('{') && seed.TrimEnd().EndsWith('}');
        var open = isObject ? seed.TrimEnd()[..^1] : null; // the object without its closing brace
        yield return new Mutant("empty body", []);
        yield return new Mutant("whitespace only", A(" \r\n\t"));
        yield return new Mutant("null", A("null"));
        yield return new Mutant("a JSON string", A("\"getSerialnum\""));
        yield return new Mutant("a number 1e400", A("1e400"));
        yield return new Mutant("an array", A("[1,2,3]"));
        yield return new Mutant("true", A("true"));
        yield return new Mutant("BOM + body", [0xEF, 0xBB, 0xBF, .. bytes]);
        yield return new Mutant("UTF-16LE body with BOM", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(seed)]);
        yield return new Mutant("body + NUL", [.. bytes, 0x00]);
        yield return new Mutant("NUL + body", [0x00, .. bytes]);
        yield return new Mutant("two bodies", [.. bytes, .. bytes]);
        yield return new Mutant("body + garbage", [.. bytes, .. A("}}]]")]);
        yield return new Mutant("cut at half", bytes[..(bytes.Length / 2)]);
        yield return new Mutant("cut one byte short", bytes[..Math.Max(0, bytes.Length - 1)]);
        yield return new Mutant("unterminated string", A("{\"a\":\"abc"));
        yield return new Mutant("10000 '['", A(new string('[', 10_000)));
        yield return new Mutant("10000 '[' then 10000 ']'", A(new string('[', 10_000) + new string(']', 10_000)));
        yield return new Mutant("10000 nested objects", A(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)));
        yield return new Mutant("1000000 '['", A(new string('[', 1_000_000)));
        yield return new Mutant("invalid UTF-8 0xA7 alone", [0xA7]);
        yield return new Mutant("50000 keys", A("{" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"k{i}\":{i}")) + "}"));
        if (open is null) yield break;
        var comma = open.TrimEnd().EndsWith('{') ? "" : ",";
        yield return new Mutant("comments and a trailing comma", A("{/*c*/" + open.Trim()[1..] + comma + "\"z\":1,}"));
        yield return new Mutant("duplicate keys of three types", A(open + comma + "\"camidx\":[],\"camidx\":{},\"camidx\":\"1e400\",\"type\":1,\"type\":null}"));
        yield return new Mutant("100 KB key", A(open + comma + "\"" + new string('k', 100_000) + "\":1}"));
        yield return new Mutant("1 MB string field", A(open + comma + "\"pad\":\"" + new string('x', 1_000_000) + "\"}"));
    }

    /// <summary>Byte-level damage, 1-3 operations chosen by <paramref name="random"/>.</summary>
    public static Mutant Random(string seed, Random random, string label)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(seed));
        var ops = new List<string>();
        var count = random.Next(1, 4);
        for (var k = 0; k < count; k++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    {
                        var bit = random.Next(8);
                        bytes[at] ^= (byte)(1 << bit);
                        ops.Add($"flip@{at}.{bit}");
                        break;
                    }
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    ops.Add($"set@{at}=0x{bytes[at]:x2}");
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    ops.Add($"cut@{at}");
                    break;
                case 3:
                    {
                        var (name, insert) = RandomInserts[random.Next(RandomInserts.Length)];
                        bytes.InsertRange(at, insert);
                        ops.Add($"insert@{at}:{name}");
                        break;
                    }
                case 4:
                    {
                        var n = Math.Min(bytes.Count - at, random.Next(1, 9));
                        bytes.RemoveRange(at, n);
                        ops.Add($"delete@{at}+{n}");
                        break;
                    }
                case 5:
                    {
                        var n = Math.Min(bytes.Count - at, random.Next(1, 17));
                        bytes.InsertRange(at, bytes.GetRange(at, n));
                        ops.Add($"duplicate@{at}+{n}");
                        break;
                    }
                case 6:
                    {
                        var digit = bytes.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
                        if (digit < 0) goto default;
                        var end = digit;
                        while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9') end++;
                        var huge = random.Next(2) == 0 ? FortyDigits : "1e400";
                        bytes.RemoveRange(digit, end - digit);
                        bytes.InsertRange(digit, Encoding.ASCII.GetBytes(huge));
                        ops.Add($"number@{digit}:={huge[..Math.Min(8, huge.Length)]}");
                        break;
                    }
                default:
                    {
                        if (bytes.Count < 2) break;
                        var other = random.Next(bytes.Count);
                        (bytes[at], bytes[other]) = (bytes[other], bytes[at]);
                        ops.Add($"swap@{at},{other}");
                        break;
                    }
            }
        }
        return new Mutant($"{label}: {string.Join("; ", ops)}", [.. bytes]);
    }

    // ---- JSON paths --------------------------------------------------------------------------------------------

    /// <summary>Every member and array element, depth first (object keys as strings, array indexes as ints).</summary>
    private static List<object[]> Paths(JsonNode root)
    {
        var paths = new List<object[]>();
        void Walk(JsonNode? node, List<object> path)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        path.Add(key);
                        paths.Add([.. path]);
                        Walk(child, path);
                        path.RemoveAt(path.Count - 1);
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        path.Add(i);
                        paths.Add([.. path]);
                        Walk(array[i], path);
                        path.RemoveAt(path.Count - 1);
                    }
                    break;
            }
        }
        Walk(root, []);
        return paths;
    }

    private static string PathName(object[] path) =>
        string.Concat(path.Select((p, i) => p is int n ? $"[{n.ToString(CultureInfo.InvariantCulture)}]" : (i == 0 ? "" : ".") + p));

    private static JsonNode? Navigate(JsonNode root, object[] path)
    {
        var node = root;
        foreach (var p in path)
            node = p is int i ? node?.AsArray()[i] : node?.AsObject()[(string)p];
        return node;
    }

    /// <summary>The seed with the value at <paramref name="path"/> replaced by <paramref name="raw"/> bytes, as they are.</summary>
    private static byte[] Replace(JsonNode root, object[] path, byte[] raw)
    {
        var copy = root.DeepClone();
        var parent = Navigate(copy, path[..^1])!;
        if (path[^1] is int i) parent.AsArray()[i] = JsonValue.Create(Placeholder);
        else parent.AsObject()[(string)path[^1]] = JsonValue.Create(Placeholder);
        return Splice(copy, raw);
    }

    private static byte[] Remove(JsonNode root, object[] path)
    {
        var copy = root.DeepClone();
        var parent = Navigate(copy, path[..^1])!;
        if (path[^1] is int i) parent.AsArray().RemoveAt(i);
        else parent.AsObject().Remove((string)path[^1]);
        return Encoding.UTF8.GetBytes(copy.ToJsonString(Relaxed));
    }

    /// <summary>The seed with the key at <paramref name="path"/> written as <paramref name="rawKey"/> (quotes included), in its place.</summary>
    private static byte[] RenameKey(JsonNode root, object[] path, byte[] rawKey)
    {
        var copy = root.DeepClone();
        var parent = Navigate(copy, path[..^1])!.AsObject();
        var members = parent.ToList();
        parent.Clear();
        foreach (var (key, value) in members) parent[key == (string)path[^1] ? Placeholder : key] = value;
        return Splice(copy, rawKey);
    }

    private static byte[] Splice(JsonNode node, byte[] raw)
    {
        var text = Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed));
        var marker = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Placeholder, Relaxed));
        var at = text.AsSpan().IndexOf(marker);
        return at < 0 ? text : [.. text.AsSpan(0, at), .. raw, .. text.AsSpan(at + marker.Length)];
    }
}
