using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Appliance.Protocols.Wire;

/// <summary>
/// docs/PROTOCOLS.md "tolerant input" for JSON, one reading for both ports and every body and message: UTF-8
/// whatever the Content-Type, a byte-order mark ignored, empty = <c>{}</c>, trailing commas and comments skipped,
/// member names matched as <see cref="WireName"/> does. Every string is checked once as the document is read (UTF-8,
/// no lone surrogate escape, no NUL) and nesting is bounded by <see cref="MaxDepth"/>, so a handler's <c>GetString()</c> or
/// <c>Name</c> never throws on what a client sent: bad bytes are a <see cref="JsonException"/>, answered 1 by every caller.
/// </summary>
public static class WireJson
{
    /// <summary>Deepest nesting of objects and arrays read; deeper is malformed (code 1), not a stack to exhaust.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth };
    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth };

    /// <summary>Parses a body or message; <see cref="JsonException"/> when it is malformed or holds a string that cannot be read.</summary>
    /// <remarks>The document reads <paramref name="utf8"/> in place: keep it unchanged while the document is in use.</remarks>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        utf8 = WithoutByteOrderMark(utf8);
        if (utf8.Span.Trim(" \t\r\n"u8).IsEmpty) return JsonDocument.Parse("{}"u8.ToArray());
        ThrowIfUnreadable(utf8.Span);
        return JsonDocument.Parse(utf8, DocumentOptions);
    }

    /// <summary>JSON carried inside a string (a double-encoded <c>message</c>): read as a body is.</summary>
    public static JsonDocument Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Reads <paramref name="utf8"/> once and throws <see cref="JsonException"/> naming the first thing no handler could
    /// read: malformed JSON, nesting over <see cref="MaxDepth"/>, a string (or member name) that is not UTF-8, holds a lone
    /// surrogate escape (<c>"\ud800"</c>) or a NUL. Only escaped strings are unescaped (into a pooled buffer), so a large
    /// base64 image costs one scan, no copy.
    /// </summary>
    public static void ThrowIfUnreadable(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(WithoutByteOrderMark(utf8), ReaderOptions);
        while (Read(ref reader))
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
            var raw = reader.ValueSpan; // a span reader never splits a value
            var what = reader.TokenType == JsonTokenType.PropertyName ? "member name" : "string";
            if (!reader.ValueIsEscaped)
            {
                if (!Utf8.IsValid(raw)) throw Unreadable($"a {what} is not valid UTF-8", reader);
                continue;
            }
            var chars = ArrayPool<char>.Shared.Rent(raw.Length);
            try
            {
                int length;
                try
                {
                    length = reader.CopyString(chars);
                }
                catch (InvalidOperationException)
                {
                    throw Unreadable($"a {what} holds a lone surrogate escape or is not valid UTF-8", reader);
                }
                if (chars.AsSpan(0, length).Contains('\0')) throw Unreadable($"a {what} holds NUL (\\u0000)", reader);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    /// <summary>
    /// One token; the reader's own exception text is the runtime's (a resource key such as
    /// <c>ExpectedStartOfPropertyOrValueNotFound</c> in the AOT build), so a page is told where, in our words.
    /// </summary>
    private static bool Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException e)
        {
            var deep = reader.CurrentDepth >= MaxDepth - 1 ? $", or nested deeper than {MaxDepth}" : "";
            throw new JsonException($"not JSON at {Position(e)}{deep}", e.Path, e.LineNumber, e.BytePositionInLine, e);
        }
    }

    /// <summary>Where a <see cref="JsonException"/> (the reader's or the serializer's) stopped, in our words: its own text may be a resource key.</summary>
    public static string Describe(JsonException e) => string.IsNullOrEmpty(e.Path) || e.Path == "$"
        ? $"not JSON at {Position(e)}"
        : $"not the expected JSON at {e.Path} ({Position(e)})";

    /// <summary>"line L, byte B", counted from 1.</summary>
    private static string Position(JsonException e) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");

    private static JsonException Unreadable(string problem, in Utf8JsonReader reader) =>
        new($"{problem} (byte {reader.TokenStartIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)})");

    /// <summary>The first member of <paramref name="obj"/> whose name matches <paramref name="canonical"/> tolerantly.</summary>
    public static bool TryGetMember(JsonElement obj, string canonical, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object)
        {
            var wanted = WireName.Normalize(canonical);
            foreach (var member in obj.EnumerateObject())
            {
                if (WireName.Normalize(member.Name) != wanted) continue;
                value = member.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// A top-level string member of a message read only as far as it is well-formed (the message may be cut short by
    /// the size limit or broken further on), so an error answer can name the command the message asked for; null when
    /// that member cannot be read.
    /// </summary>
    public static string? StringMemberIn(ReadOnlySpan<byte> message, string canonical)
    {
        var reader = new Utf8JsonReader(WithoutByteOrderMark(message), isFinalBlock: false, new JsonReaderState(ReaderOptions));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0) break;
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var isWanted = WireName.Matches(reader.GetString()!, canonical);
                if (!reader.Read()) break;
                if (isWanted && reader.TokenType == JsonTokenType.String) return reader.GetString();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) break;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Malformed beyond this point, or a name that cannot be read (not UTF-8, a lone surrogate): nothing more to learn.
        }
        return null;
    }

    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;

    private static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;
}
