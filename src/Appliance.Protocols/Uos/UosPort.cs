using System.Net.WebSockets;
using Appliance.Protocols.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Uos;

/// <summary>
/// The UOS signing service port (seed 000): WebSocket at <c>/1</c> (a PC page) and <c>/2</c> (the preview
/// page on the terminal). Any other path is closed with policy-violation and a reason.
/// </summary>
public sealed class UosPort(UosCommands commands, UosConnectionRegistry connections, ILogger<UosPort> log) : IPortApplication
{
    public PortRole Role => PortRole.Uos;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("This port speaks WebSocket: connect to ws://HOST:12349/1 (PC page) or /2 (preview page).\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        var kind = path switch
        {
            "/1" => UosClientKind.PcPage,
            "/2" => UosClientKind.PreviewPage,
            _ => (UosClientKind?)null,
        };
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        if (kind is null)
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation,
                $"unknown flag '{path.TrimStart('/')}': connect to /1 (PC page) or /2 (preview page)", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var remote = context.Connection.RemoteIpAddress;
        var peer = remote is null ? "unknown" : (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
        await using var connection = new UosConnection(socket, kind.Value, peer, commands, log);
        connections.Add(connection);
        try
        {
            await connection.RunAsync(context.RequestAborted, () => connections.Remove(connection)).ConfigureAwait(false);
        }
        finally
        {
            connections.Remove(connection);
        }
    }
}

public enum UosClientKind
{
    PcPage = 1,
    PreviewPage = 2,
}
