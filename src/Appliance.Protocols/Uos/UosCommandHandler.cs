using System.Text.Json;
using Appliance.Core.Identity;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Uos;

/// <summary>
/// Parses one client message (<c>{"cmdtype": NAME, "message": {...}}</c>, names tolerant) and answers it.
/// Every failure is an answer with its code; the connection stays up.
/// </summary>
public sealed class UosCommandHandler(TerminalIdentity identity, UosTaskCommands tasks)
{
    public async Task HandleAsync(UosConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancel)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            connection.TrySend(UosMessages.Error(ErrorCode.BadRequest, $"JSON 格式错误 / malformed JSON: {e.Message}"));
            return;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !TryGetString(document.RootElement, "cmdtype", out var command))
            {
                connection.TrySend(UosMessages.Error(ErrorCode.BadRequest, "缺少 cmdtype / expected {\"cmdtype\": NAME, \"message\": {...}}"));
                return;
            }
            try
            {
                var request = new UosRequest(ReadMessage(document.RootElement));
                await DispatchAsync(connection, command, request, cancel).ConfigureAwait(false);
            }
            catch (UosBadRequestException e)
            {
                connection.TrySend(UosMessages.Error(ErrorCode.BadRequest, e.Message));
            }
        }
    }

    private Task DispatchAsync(UosConnection connection, string command, UosRequest request, CancellationToken cancel)
    {
        switch (WireName.Normalize(command))
        {
            case "getserialnum":
                connection.TrySend(UosMessages.Response("serialnum", identity.Serial));
                break;
            case "getsign":
                tasks.GetSign(connection, request);
                break;
            case "getfinger":
                tasks.GetFinger(connection, request);
                break;
            case "closefinger":
                tasks.CloseFinger(connection);
                break;
            case "mixsignfinger":
                return tasks.MixSignFingerAsync(connection, cancel);
            case "previewcamera":
                tasks.PreviewCamera(connection);
                break;
            case "getcamera":
                return tasks.GetCameraAsync(connection, cancel);
            case "stopcamera":
                tasks.StopCamera(connection);
                break;
            case "getcard":
                tasks.GetCard(connection);
                break;
            case ("openextscreen" or "closeextscreen" or "btninfo") and var canonical:
                // These belong to the web-preview issue; until it lands the terminal says so instead of pretending
                // (named in the canonical spelling, whatever spelling arrived).
                connection.TrySend(UosMessages.Error(ErrorCode.NotSupported, $"此终端尚不支持 {canonical} / {canonical} is not supported by this terminal yet"));
                break;
            default:
                connection.TrySend(UosMessages.Error(ErrorCode.BadRequest, $"未知命令 / unknown cmdtype \"{command}\""));
                break;
        }
        return Task.CompletedTask;
    }

    /// <summary>The <c>message</c> member: an object, absent/null (no parameters), or an object sent as a JSON string.</summary>
    private static JsonElement ReadMessage(JsonElement root)
    {
        if (!TryGetProperty(root, "message", out var message) || message.ValueKind == JsonValueKind.Null) return default;
        if (message.ValueKind == JsonValueKind.Object) return message;
        if (message.ValueKind == JsonValueKind.String)
        {
            var text = message.GetString() ?? "";
            if (text.Trim().Length == 0) return default;
            try
            {
                // Some pages double-encode: "message": "{\"penwidth\":8}". Cloned so it outlives its document.
                using var inner = JsonDocument.Parse(text);
                if (inner.RootElement.ValueKind == JsonValueKind.Object) return inner.RootElement.Clone();
            }
            catch (JsonException) { }
            return default; // a bare string such as "vuv": no parameters
        }
        throw new UosBadRequestException("message 应为对象 / message: expected an object {...}");
    }

    /// <summary>Finds a property by its tolerant name.</summary>
    public static bool TryGetProperty(JsonElement obj, string canonical, out JsonElement value)
    {
        var wanted = WireName.Normalize(canonical);
        foreach (var property in obj.EnumerateObject())
        {
            if (WireName.Normalize(property.Name) == wanted)
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static bool TryGetString(JsonElement obj, string canonical, out string value)
    {
        value = "";
        if (!TryGetProperty(obj, canonical, out var element) || element.ValueKind != JsonValueKind.String) return false;
        value = element.GetString() ?? "";
        return value.Length > 0;
    }
}
