using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Appliance.Core.Capture;
using Appliance.Core.Identity;
using Appliance.Protocols.Shell;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Uos;

/// <summary>
/// One UOS command: what it does for the connection that asked, given its <c>message</c> object (default when it sent
/// none). Returns the answer to send now, or null when the outcome reaches the PC later, through the journal and
/// <see cref="UosResultDelivery"/> (or there is none). A failure is thrown as <see cref="CaptureException"/>.
/// </summary>
public delegate ValueTask<byte[]?> UosCommand(UosConnection caller, JsonElement message, CancellationToken cancel);

/// <summary>The UOS port's command table, by the canonical names of docs/PROTOCOLS.md (matched tolerantly).</summary>
public sealed class UosCommands
{
    private static readonly ValueTask<byte[]?> AnswersLater = ValueTask.FromResult<byte[]?>(null);

    public UosCommands(TerminalIdentity identity, UosTaskCommands tasks)
    {
        Table = new CommandTable<UosCommand>("UOS command")
            .Map("getSerialnum", (_, _, _) => ValueTask.FromResult<byte[]?>(UosMessages.Response("serialnum", identity.Serial)))
            .Map("getsign", Starts(UosJson.Default.UosSignRequest, tasks.GetSign))
            .Map("getfinger", Starts(UosJson.Default.UosWindowRequest, tasks.GetFinger))
            .Map("closefinger", Starts(tasks.CloseFinger))
            .Map("mixsignfinger", Starts(tasks.MixSignFingerAsync))
            .Map("previewcamera", Starts(tasks.PreviewCamera))
            .Map("getcamera", Starts(tasks.GetCameraAsync))
            .Map("stopcamera", Starts(tasks.StopCamera))
            .Map("getcard", Starts(tasks.GetCard))
            // The web-preview issue's commands: until it lands the terminal says so instead of pretending.
            .Map("openextscreen", NotYetSupported("openextscreen"))
            .Map("closeextscreen", NotYetSupported("closeextscreen"))
            .Map("btninfo", NotYetSupported("btninfo"));
    }

    internal CommandTable<UosCommand> Table { get; }

    /// <summary>
    /// The <c>message</c> member: an object, absent/null (no parameters), or an object sent as a JSON string (some pages
    /// double-encode: <c>"message": "{\"penwidth\":8}"</c>); a bare string such as <c>"vuv"</c> is no parameters.
    /// </summary>
    internal static JsonElement ReadMessage(JsonElement message)
    {
        if (message.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object) return message;
        if (message.ValueKind != JsonValueKind.String)
            throw new CaptureException(CaptureFailure.BadRequest, "message 应为对象 / message: expected an object {...}");
        var text = message.GetString() ?? "";
        if (text.Trim().Length == 0) return default;
        try
        {
            // Cloned so it outlives its document.
            using var inner = WireJson.Parse(text);
            if (inner.RootElement.ValueKind == JsonValueKind.Object) return inner.RootElement.Clone();
        }
        catch (JsonException) { }
        return default;
    }

    /// <summary>A command that starts something on the terminal (or stops it) and answers later, if at all.</summary>
    private static UosCommand Starts(Action<UosConnection> start) => (caller, _, _) =>
    {
        start(caller);
        return AnswersLater;
    };

    /// <summary>As <see cref="Starts(Action{UosConnection})"/>, for work the command waits for (its result is journaled, then delivered).</summary>
    private static UosCommand Starts(Func<UosConnection, CancellationToken, Task> start) => async (caller, _, cancel) =>
    {
        await start(caller, cancel).ConfigureAwait(false);
        return null;
    };

    /// <summary>As <see cref="Starts(Action{UosConnection})"/>, with the command's fixed parameters read into their record.</summary>
    private static UosCommand Starts<TRequest>(JsonTypeInfo<TRequest> parameters, Action<UosConnection, TRequest> start) => (caller, message, _) =>
    {
        start(caller, UosRequests.Read(message, parameters));
        return AnswersLater;
    };

    /// <summary>Named in the canonical spelling, whatever spelling arrived.</summary>
    private static UosCommand NotYetSupported(string canonical) => (_, _, _) => ValueTask.FromResult<byte[]?>(
        UosMessages.Error(ErrorCode.NotSupported, $"此终端尚不支持 {canonical} / {canonical} is not supported by this terminal yet"));
}
