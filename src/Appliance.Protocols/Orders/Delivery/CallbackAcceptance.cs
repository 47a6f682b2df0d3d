using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Core.Orders;

namespace Appliance.Protocols.Orders.Delivery;

/// <summary>
/// Whether a receiver's answer means it took the push, by the rule of the order's shape (<see cref="PushAcceptance"/>).
/// Anything else is a refusal whose detail quotes what the receiver said, for the operator reading the outbox.
/// </summary>
public static class CallbackAcceptance
{
    private const int QuotedChars = 80;

    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="body">The answer's body (at most its first <see cref="CallbackTransport.MaxAnswerBytes"/>).</param>
    public static PushAnswer Judge(PushAcceptance acceptance, int status, ReadOnlySpan<byte> body)
    {
        if (status is >= 300 and < 400) return new PushAnswer(false, $"HTTP {status}: redirects are not followed");
        if (status is < 200 or > 299) return new PushAnswer(false, $"HTTP {status}");
        var text = Text(body);
        return acceptance switch
        {
            PushAcceptance.Http2xx => new PushAnswer(true, $"HTTP {status}"),
            PushAcceptance.BodyIsOne when text == "1" || StatusOf(body) == "1" => new PushAnswer(true, "answered 1"),
            PushAcceptance.BodyIsOne => new PushAnswer(false, $"answered {Quote(text)}, not 1"),
            PushAcceptance.CossStatus200 when StatusOf(body) == "200" => new PushAnswer(true, "answered status 200"),
            PushAcceptance.CossStatus200 => new PushAnswer(false, $"answered {Quote(text)}, not status 200"),
            _ => new PushAnswer(false, $"no acceptance rule {acceptance}"),
        };
    }

    /// <summary>The body as text, without surrounding white space or a byte-order mark.</summary>
    private static string Text(ReadOnlySpan<byte> body) => Encoding.UTF8.GetString(body).Trim().Trim('\uFEFF').Trim();

    /// <summary>A JSON object's <c>status</c> as text (<c>1</c> and <c>"1"</c> alike); null when the body is no such object.</summary>
    private static string? StatusOf(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStatus = reader.ValueTextEquals("status"u8);
                if (!reader.Read()) return null;
                if (isStatus)
                    return reader.TokenType switch
                    {
                        JsonTokenType.Number when reader.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
                        JsonTokenType.String => reader.GetString()?.Trim(),
                        _ => null,
                    };
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What the receiver said, short and on one line.</summary>
    private static string Quote(string text)
    {
        if (text.Length == 0) return "nothing";
        var shown = text.Length <= QuotedChars ? text : text[..QuotedChars] + "…";
        return "\"" + new string([.. shown.Select(c => char.IsControl(c) ? ' ' : c)]) + "\"";
    }
}
