using System.Buffers;
using System.Text.Json;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Uos;

/// <summary>What the terminal sends on the UOS port, in the canonical spelling of docs/PROTOCOLS.md, byte for byte.</summary>
public static class UosMessages
{
    /// <summary><c>{"response":NAME,"message":TEXT}</c></summary>
    public static byte[] Response(string response, string message) => Write(w =>
    {
        w.WriteString("response", response);
        w.WriteString("message", message);
    });

    /// <summary><c>{"response":NAME}</c> (for example <c>signcancel</c>).</summary>
    public static byte[] Response(string response) => Write(w => w.WriteString("response", response));

    /// <summary><c>{"response":NAME,"message":{...}}</c></summary>
    public static byte[] Response(string response, Action<Utf8JsonWriter> writeMessageObject) => Write(w =>
    {
        w.WriteString("response", response);
        w.WriteStartObject("message");
        writeMessageObject(w);
        w.WriteEndObject();
    });

    /// <summary><c>{"response":"CODE","message":TEXT}</c>: seed 000's "service exception message".</summary>
    public static byte[] Error(ErrorCode code, string message) => Response(code.Wire(), message);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Chinese text stays readable on the wire, as the vendor service sent it.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
