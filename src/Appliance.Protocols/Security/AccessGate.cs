using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Appliance.Core.Audit;
using Appliance.Core.Pairing;
using Appliance.Protocols.Hosting;
using Appliance.Protocols.Http;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Security;

/// <summary>
/// The access policy, run before every port's application: the Host header on every port (421 on a
/// rebinding name); on the legacy ports, unpaired addresses and foreign browser origins get error 7 in the
/// port's own shape; on the admin port, foreign origins are refused. Every legacy call is audited.
/// <para>
/// On the CameraService port a refusal carries the CORS headers when the caller's origin is one the policy allows,
/// so a counter page from an allowed origin on an unpaired PC reads code 7 (and its preflight is answered) instead
/// of a bare CORS failure; a refused origin is never granted, so it learns nothing but the failure.
/// </para>
/// </summary>
public sealed class AccessGate(AccessOptions options, HostHeaderPolicy hosts, OriginPolicy origins, PairingStore pairings, AuditLog audit, TimeProvider clock) : IRequestGate
{
    public async ValueTask<bool> AllowAsync(HttpContext context, PortRole role)
    {
        var host = context.Request.Headers.Host.ToString();
        var remote = RemoteAddress(context);
        var overLoopback = IPAddress.IsLoopback(remote);
        var origin = context.Request.Headers.Origin.ToString();
        var originAllowed = origins.IsAllowed(origin, overLoopback);
        if (!hosts.IsAllowed(host))
        {
            if (role == PortRole.CameraService && originAllowed) CorsHeaders.Add(context);
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"Host \"{host}\" is not a name of this terminal (DNS rebinding guard); use its IP address or mDNS name.\n", context.RequestAborted).ConfigureAwait(false);
            Audit(context, role, "refused: host " + host);
            return false;
        }
        if (role == PortRole.Admin)
        {
            if (origins.IsAllowed(origin, overLoopback, host)) return true;
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync($"{{\"error\":\"forbidden\",\"message\":\"origin {JsonEncodedText.Encode(origin)} may not call the admin port\"}}", context.RequestAborted).ConfigureAwait(false);
            Audit(context, role, "refused: origin");
            return false;
        }

        string? refusal = null, reason = null;
        var paired = pairings.List().FirstOrDefault(p => p.Address == remote.ToString());
        if (!(overLoopback && options.AllowLoopback) && options.RequirePairing && paired is null)
            (refusal, reason) = ($"未配对的计算机 / this PC ({remote}) is not paired with the terminal: pair it first", "not paired");
        else if (!originAllowed)
            (refusal, reason) = ($"不允许的来源 / origin {origin} is not allowed to use this terminal", "origin");
        if (refusal is not null && role == PortRole.CameraService && originAllowed)
        {
            CorsHeaders.Add(context);
            // A preflight asks only whether the real request may be sent; it may, so that its answer (code 7) can be read.
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                Audit(context, role, "preflight answered, refused: " + reason, paired?.KeyId);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return false;
            }
        }
        Audit(context, role, refusal is null ? "allowed" : "refused: " + reason, paired?.KeyId);
        if (refusal is null) return true;
        await RefuseAsync(context, role, refusal).ConfigureAwait(false);
        return false;
    }

    public static IPAddress RemoteAddress(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }

    private void Audit(HttpContext context, PortRole role, string outcome, string? keyId = null)
    {
        var path = context.Request.Path.Value ?? "/";
        var command = (context.WebSockets.IsWebSocketRequest ? "WS " : context.Request.Method + " ") + (path.Length > 200 ? path[..200] : path);
        audit.Record(new AuditEntry(clock.GetUtcNow(), keyId ?? "", RemoteAddress(context).ToString(), context.Request.Headers.Origin.ToString(),
            role.ToString(), command, outcome));
    }

    /// <summary>Error 7 as each protocol writes errors: UOS <c>{"response":"7"}</c>, CameraService <c>{"code":"7"}</c>.</summary>
    private static async Task RefuseAsync(HttpContext context, PortRole role, string message)
    {
        var body = role == PortRole.Uos
            ? Json(w => { w.WriteString("response", ErrorCode.NotPermitted.Wire()); w.WriteString("message", message); })
            : Json(w => { w.WriteString("code", ErrorCode.NotPermitted.Wire()); w.WriteString("message", message); });
        if (context.WebSockets.IsWebSocketRequest)
        {
            // A page cannot read a refused handshake's status; it can read a message and a close reason.
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await socket.SendAsync(body, WebSocketMessageType.Text, true, context.RequestAborted).ConfigureAwait(false);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "not permitted (7)", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
