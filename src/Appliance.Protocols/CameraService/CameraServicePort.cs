using System.Text.Json;
using Appliance.Protocols.Hosting;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.CameraService;

/// <summary>
/// The CameraService port (seed 003): <c>/&lt;group&gt;=&lt;action&gt;&amp;k=v</c> over HTTP, and WebSocket on any path.
/// </summary>
public sealed class CameraServicePort : IPortApplication
{
    public PortRole Role => PortRole.CameraService;

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        var path = context.Request.Path.Value ?? "/";
        await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("code", ErrorCode.NotSupported.Wire());
        writer.WriteString("message", $"此终端尚不支持 {path} / {path} is not supported by this terminal yet");
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
