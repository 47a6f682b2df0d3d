using System.Text.Json;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService;

/// <summary>
/// A JSON answer: <c>{"code": CODE, "message": TEXT, …fields}</c>, code as a decimal string ("0" = success).
/// Over WebSocket the same answer goes out with <c>"function"</c> first.
/// </summary>
public readonly record struct CameraServiceAnswer(string Code, string Message, Action<Utf8JsonWriter>? Fields = null)
{
    public static CameraServiceAnswer Ok(Action<Utf8JsonWriter>? fields = null) => new("0", "", fields);
    public static CameraServiceAnswer Ok(string message, Action<Utf8JsonWriter>? fields = null) => new("0", message, fields);
    public static CameraServiceAnswer Error(ErrorCode code, string message) => new(code.Wire(), message);

    /// <summary>An endpoint-specific code the seed defines (e.g. <c>video=detectdoc</c> 100/101/102).</summary>
    public static CameraServiceAnswer WithCode(string code, string message, Action<Utf8JsonWriter>? fields = null) => new(code, message, fields);

    public bool IsSuccess => Code == "0";

    /// <summary>
    /// Runs once the answer went out whole (HTTP: body written and the response completed; WebSocket: message sent), never
    /// when the PC was gone first. A journaled result is marked delivered here, so a PC that dropped can fetch it again.
    /// </summary>
    public Action? Written { get; init; }

    /// <summary>This answer, marking <paramref name="written"/> to run once it reached the PC.</summary>
    public CameraServiceAnswer WhenWritten(Action written) => this with { Written = written };

    internal void Write(Utf8JsonWriter writer, string? function = null)
    {
        writer.WriteStartObject();
        if (function is not null) writer.WriteString("function", function);
        writer.WriteString("code", Code);
        writer.WriteString("message", Message);
        Fields?.Invoke(writer);
        writer.WriteEndObject();
    }
}
