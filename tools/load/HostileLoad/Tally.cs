using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HostileLoad;

/// <summary>Counts of answers by section and kind, and a few examples of the notable ones. Thread-safe.</summary>
internal sealed class Tally
{
    public const string HttpClass = "HTTP status class";
    public const string HttpStatus = "HTTP status";
    public const string CameraCode = "CameraService HTTP \"code\"";
    public const string CameraWsCode = "CameraService WebSocket \"code\"";
    public const string UosResponse = "UOS {\"response\": …}";
    public const string WsEnd = "WebSocket end";
    public const string Transport = "Transport";
    public const string Probe = "Probes (not answers: the tool's own follow-up messages)";

    /// <summary>The kind every WebSocket drop is counted under (with a suffix saying how it was seen).</summary>
    public const string Dropped = "dropped without close frame";

    private static readonly string[] Order = [HttpClass, HttpStatus, CameraCode, CameraWsCode, UosResponse, WsEnd, Transport, Probe];
    private const int ExamplesKept = 5;

    private readonly ConcurrentDictionary<(string Section, string Kind), long> _counts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _examples = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _exampleTotals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, long>> _categories = new(StringComparer.Ordinal);

    public void Add(string section, string kind, long n = 1) => _counts.AddOrUpdate((section, kind), n, (_, v) => v + n);

    /// <summary>Keeps the first few examples of a notable outcome (what was sent, what came back).</summary>
    /// <param name="category">the kind of input (see <see cref="Category"/>): the report counts the notable outcome by it.</param>
    public void Example(string kind, string text, string? category = null)
    {
        _exampleTotals.AddOrUpdate(kind, 1, (_, v) => v + 1);
        var queue = _examples.GetOrAdd(kind, _ => new ConcurrentQueue<string>());
        if (queue.Count < ExamplesKept) queue.Enqueue(text);
        if (category is not null) _categories.GetOrAdd(kind, _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal)).AddOrUpdate(category, 1, (_, v) => v + 1);
    }

    /// <summary>
    /// What kind of input a mutation was, without the field it hit: "key: invalid UTF-8 0xA7 inside it",
    /// "string: lone surrogate \ud800", "field := 1e400", "random byte-level", or the description itself.
    /// </summary>
    public static string Category(string mutation)
    {
        if (mutation.StartsWith('(') && mutation.IndexOf(") ", StringComparison.Ordinal) is > 0 and var p) mutation = mutation[(p + 2)..];
        if (mutation.StartsWith("random", StringComparison.Ordinal)) return "random byte-level mutation";
        if (mutation.StartsWith("key ", StringComparison.Ordinal) && mutation.IndexOf(": ", StringComparison.Ordinal) is > 0 and var k) return "key: " + mutation[(k + 2)..];
        if (mutation.EndsWith(" inside the string", StringComparison.Ordinal) && mutation.IndexOf(": ", StringComparison.Ordinal) is > 0 and var v)
            return "string: " + mutation[(v + 2)..^" inside the string".Length];
        if (mutation.IndexOf(" := ", StringComparison.Ordinal) is > 0 and var f) return "field := " + mutation[(f + 4)..];
        if (mutation.EndsWith(" removed", StringComparison.Ordinal)) return "a field removed";
        return mutation;
    }

    public long Get(string section, string kind) => _counts.GetValueOrDefault((section, kind));

    public long Sum(string section, Func<string, bool> kind) => _counts.Where(c => c.Key.Section == section && kind(c.Key.Kind)).Sum(c => c.Value);

    public void MergeInto(Tally total)
    {
        foreach (var (key, n) in _counts) total.Add(key.Section, key.Kind, n);
        foreach (var (kind, queue) in _examples)
        {
            var all = total._examples.GetOrAdd(kind, _ => new ConcurrentQueue<string>());
            foreach (var e in queue)
                if (all.Count < ExamplesKept) all.Enqueue(e);
        }
        foreach (var (kind, n) in _exampleTotals) total._exampleTotals.AddOrUpdate(kind, n, (_, v) => v + n);
        foreach (var (kind, categories) in _categories)
        {
            var all = total._categories.GetOrAdd(kind, _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
            foreach (var (category, n) in categories) all.AddOrUpdate(category, n, (_, v) => v + n);
        }
    }

    /// <summary>The counts on one line, for a step of a phase.</summary>
    public string OneLine()
    {
        static string Short(string section) => section switch
        {
            HttpStatus => "HTTP",
            CameraCode => "code",
            CameraWsCode => "ws code",
            UosResponse => "response",
            _ => "",
        };
        var parts = _counts.Where(c => c.Key.Section is not (HttpClass or Probe))
            .OrderBy(c => Array.IndexOf(Order, c.Key.Section)).ThenBy(c => SortKey(c.Key.Kind), StringComparer.Ordinal)
            .Select(c => $"{Short(c.Key.Section)} {c.Key.Kind} ×{c.Value:N0}".Trim());
        return string.Join(", ", parts);
    }

    public void Print(TextWriter w, string indent)
    {
        foreach (var section in Order.Concat(_counts.Keys.Select(k => k.Section).Distinct().Except(Order)))
        {
            var rows = _counts.Where(c => c.Key.Section == section).OrderBy(c => SortKey(c.Key.Kind), StringComparer.Ordinal).ToList();
            if (rows.Count == 0) continue;
            w.WriteLine($"{indent}{section}:");
            foreach (var row in rows) w.WriteLine($"{indent}  {row.Key.Kind,-58} {row.Value,9:N0}");
        }
    }

    public void PrintExamples(TextWriter w, string indent)
    {
        foreach (var (kind, queue) in _examples.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            w.WriteLine($"{indent}{kind}: {_exampleTotals.GetValueOrDefault(kind):N0} time(s); first {queue.Count}:");
            if (_categories.TryGetValue(kind, out var categories) && categories.Count > 1)
                w.WriteLine($"{indent}  by input: {string.Join("; ", categories.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(10).Select(c => $"{c.Key} ×{c.Value:N0}"))}" +
                            (categories.Count > 10 ? $"; {categories.Count - 10} more kinds" : ""));
            foreach (var e in queue) w.WriteLine($"{indent}  - {e}");
        }
    }

    // Numeric kinds in numeric order ("2" before "10"), the rest alphabetically.
    private static string SortKey(string kind) =>
        kind.Length > 0 && char.IsAsciiDigit(kind[0]) ? new string(' ', Math.Max(0, 12 - kind.TakeWhile(char.IsAsciiDigit).Count())) + kind : "~" + kind;

    // ---- classification ------------------------------------------------------------------------------------------

    /// <summary>Counts one HTTP answer of the CameraService port: status class and status, and the JSON "code" when there is one.</summary>
    public void CountCameraHttp(HttpAnswer answer, string what, bool streaming = false, string? category = null)
    {
        if (answer.Status == 0)
        {
            Add(HttpClass, "no answer");
            Add(Transport, $"HTTP: {answer.Failure}");
            Example($"HTTP no answer ({answer.Failure})", what, category);
            return;
        }
        Add(HttpClass, $"{answer.Status / 100}xx");
        Add(HttpStatus, answer.Status.ToString(CultureInfo.InvariantCulture));
        if (answer.Status >= 500) Example($"HTTP {answer.Status}", $"{what} → {Printable(answer.Body, 160)}", category);
        if (answer.Failure is not null) Add(Transport, $"HTTP {answer.Status / 100}xx then: {answer.Failure}");
        if (streaming) return;
        if (JsonMember(answer.Body, "code") is { } code)
        {
            Add(CameraCode, code);
            // The port's catch-all: an exception the handler did not expect, answered 3 and logged with its stack.
            if (IsInternalError(code, answer.Body)) Example("CameraService HTTP code 3 \"internal error\"", $"{what} → {JsonMember(answer.Body, "message")}", category);
        }
        else if (answer.Status == 200) Add(CameraCode, "(200 without a JSON code)");
    }

    public static bool IsInternalError(string? code, ReadOnlySpan<byte> body) => code == "3" && body.IndexOf("internal error"u8) >= 0;

    /// <summary>The value of a top-level member as text (strings unquoted, numbers as written); null when absent or not JSON.</summary>
    public static string? JsonMember(ReadOnlySpan<byte> json, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject) return null;
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var match = reader.ValueTextEquals(name);
                if (!reader.Read()) return null;
                if (match)
                    return reader.TokenType switch
                    {
                        JsonTokenType.String => Short(reader.GetString() ?? ""),
                        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => $"({reader.TokenType})",
                    };
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) return null;
            }
        }
        catch (JsonException) { }
        catch (InvalidOperationException) { }
        return null;
    }

    private static string Short(string s) => s.Length <= 120 ? s : s[..120] + "…";

    /// <summary>Bytes as text for a report line: printable ASCII as is, the rest as \xNN, cut at <paramref name="max"/> bytes.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int max = 100)
    {
        var sb = new StringBuilder();
        var n = Math.Min(bytes.Length, max);
        for (var i = 0; i < n; i++)
        {
            var b = bytes[i];
            if (b is >= 0x20 and < 0x7F && b != (byte)'\\') sb.Append((char)b);
            else if (b == (byte)'\\') sb.Append("\\\\");
            else sb.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }
        if (bytes.Length > max) sb.Append(CultureInfo.InvariantCulture, $"… ({bytes.Length:N0} bytes)");
        return sb.ToString();
    }
}
