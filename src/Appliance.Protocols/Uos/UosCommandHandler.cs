using System.Text.Json;
using Appliance.Core.Identity;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Uos;

/// <summary>
/// Parses one client message (<c>{"cmdtype": NAME, "message": {...}}</c>, names tolerant) and answers it.
/// Every failure is an answer with its code; the connection stays up.
/// </summary>
public sealed class UosCommandHandler(TerminalIdentity identity)
{
    public Task HandleAsync(UosConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancel)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            connection.TrySend(UosMessages.Error(ErrorCode.BadRequest, $"JSON 格式错误 / malformed JSON: {e.Message}"));
            return Task.CompletedTask;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !TryGetString(document.RootElement, "cmdtype", out var command))
            {
                connection.TrySend(UosMessages.Error(ErrorCode.BadRequest, "缺少 cmdtype / expected {\"cmdtype\": NAME, \"message\": {...}}"));
                return Task.CompletedTask;
            }
            switch (WireName.Normalize(command))
            {
                case "getserialnum":
                    connection.TrySend(UosMessages.Response("serialnum", identity.Serial));
                    break;
                case "openextscreen" or "closeextscreen" or "getsign" or "getfinger" or "closefinger" or "mixsignfinger"
                    or "previewcamera" or "getcamera" or "stopcamera" or "getcard":
                    connection.TrySend(UosMessages.Error(ErrorCode.NotSupported, $"此终端尚不支持 {command} / {command} is not supported by this terminal yet"));
                    break;
                default:
                    connection.TrySend(UosMessages.Error(ErrorCode.BadRequest, $"未知命令 / unknown cmdtype \"{command}\""));
                    break;
            }
        }
        _ = cancel;
        return Task.CompletedTask;
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
