using System.Text.Json;

namespace Appliance.Protocols.Wire;

/// <summary>
/// docs/PROTOCOLS.md "tolerant input" for JSON, one reading for both ports and every body and message: UTF-8
/// whatever the Content-Type, a byte-order mark ignored, empty = <c>{}</c>, trailing commas and comments skipped,
/// member names matched as <see cref="WireName"/> does.
/// </summary>
public static class WireJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses a body or message; <see cref="JsonException"/> when it is malformed.</summary>
    /// <remarks>The document reads <paramref name="utf8"/> in place: keep it unchanged while the document is in use.</remarks>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        utf8 = WithoutByteOrderMark(utf8);
        if (utf8.Span.Trim(" \t\r\n"u8).IsEmpty) return JsonDocument.Parse("{}"u8.ToArray());
        return JsonDocument.Parse(utf8, DocumentOptions);
    }

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
        catch (JsonException)
        {
            // Malformed beyond this point: nothing more to learn.
        }
        return null;
    }

    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;

    private static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;
}
