using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.Hosting;
using Appliance.Protocols.Http;
using Appliance.Protocols.Shell;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.CameraService;

/// <summary>
/// The CameraService port (seed 003, docs/PROTOCOLS.md): HTTP <c>/&lt;group&gt;=&lt;action&gt;&amp;k=v</c> (and <c>?k=v</c>)
/// with JSON bodies, CORS on every answer, and WebSocket on any path (served by the shared shell,
/// <see cref="JsonMessageLoop{THandler}"/>: this class supplies its framing, answer shape and function table). Groups
/// register their actions through <see cref="ICameraServiceGroup"/>; this class only parses, routes, and turns
/// failures into answers.
/// </summary>
public sealed class CameraServicePort : IPortApplication
{
    /// <summary>Largest WebSocket message accepted (its one function asks for an image and carries none).</summary>
    public const int MaxMessageBytes = BodyLimits.CameraServiceMessage;

    private static readonly MessageEnvelope SocketEnvelope = new(
        CommandMember: "function", ParametersMember: "params", CommandNoun: "功能", MalformedJson: "JSON 解析失败",
        TooLargeWording: "消息过大", MaxMessageBytes, TextOnly: false);

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly CameraServiceRoutes _routes = new();
    private readonly ILogger _log;

    private readonly OpenSockets _sockets;

    private readonly IPageSessionEnd[] _sessionEnds;
    private static long s_nextSession;

    public CameraServicePort(IEnumerable<ICameraServiceGroup> groups, OpenSockets sockets, ILogger<CameraServicePort> log,
        IEnumerable<IPageSessionEnd>? sessionEnds = null)
    {
        _sessionEnds = sessionEnds?.ToArray() ?? [];
        foreach (var group in groups) group.Map(_routes);
        _sockets = sockets;
        _log = log;
    }

    public PortRole Role => PortRole.CameraService;

    public CameraServiceRoutes Routes => _routes;

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await AnswerAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Broken framing (a bad chunk, a body cut short): the client's fault, answered 1; Kestrel then closes the connection.
            BadInputLog.Shared.Warn(_log, Client(context), $"CameraService {context.Request.Path}", e.Message);
            context.Response.Clear();
            CorsHeaders.Add(context);
            var answer = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? CameraServiceAnswer.Error(ErrorCode.TooLarge, "请求体过大 / the request body is too large")
                : CameraServiceAnswer.Error(ErrorCode.BadRequest, "请求格式错误（分块或长度不符）/ bad request: the body's framing is broken (chunking or length)");
            await WriteAnswerAsync(context, answer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !context.RequestAborted.IsCancellationRequested)
        {
            // Last resort: a bug while answering is answered 3 in the protocol's shape, never Kestrel's bare 500.
            _log.LogError(e, "CameraService {Path} failed", context.Request.Path);
            if (context.Response.HasStarted) return;
            context.Response.Clear();
            CorsHeaders.Add(context);
            await WriteAnswerAsync(context, CameraServiceAnswer.Error(ErrorCode.DeviceFailed, "内部错误 / internal error")).ConfigureAwait(false);
        }
    }

    private static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private async Task AnswerAsync(HttpContext context)
    {
        CorsHeaders.Add(context);
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (context.WebSockets.IsWebSocketRequest)
        {
            await ServeWebSocketAsync(context).ConfigureAwait(false);
            return;
        }

        var (group, action, query) = ParseUrl(context.Request);
        if (HoldsNul(group, action, query))
        {
            // As a NUL in a JSON body (WireJson): no handler ever sees one, and a file name or key cannot be cut short by it.
            var refused = CameraServiceAnswer.Error(ErrorCode.BadRequest, "地址参数含 NUL (%00) / a URL parameter holds NUL (%00)");
            BadInputLog.Shared.Warn(_log, Client(context), $"CameraService {context.Request.Path}", refused.Message);
            await WriteAnswerAsync(context, refused).ConfigureAwait(false);
            return;
        }
        var key = CameraServiceRoutes.Key(group, action);
        if (_routes.Raw(key) is { } raw)
        {
            var request = new CameraServiceRequest(group, action, query, EmptyObject, context);
            await raw(request, context).ConfigureAwait(false);
            return;
        }

        CameraServiceAnswer answer;
        if (_routes.Json(key) is not { } handler)
            answer = _routes.HasGroup(WireName.Normalize(group))
                ? CameraServiceAnswer.Error(ErrorCode.NotSupported, $"未知操作 {group}={action} / unknown action {group}={action}")
                : CameraServiceAnswer.Error(ErrorCode.NotSupported, $"此终端不支持 {context.Request.Path} / {context.Request.Path} is not supported by this terminal");
        else
        {
            using var body = await ReadBodyAsync(context, _routes.MaxBody(key)).ConfigureAwait(false);
            if (body.Error is { } error)
            {
                BadInputLog.Shared.Warn(_log, Client(context), $"CameraService {group}={action}", error.Message);
                answer = error;
            }
            else if (body.Document!.RootElement.ValueKind == JsonValueKind.Array && !_routes.TakesArray(key))
            {
                // Only fp=verify posts a bare array; a handler reading members of any other route's body expects an object.
                answer = CameraServiceAnswer.Error(ErrorCode.BadRequest, "请求应为 JSON 对象 / the body must be a JSON object {...}");
                BadInputLog.Shared.Warn(_log, Client(context), $"CameraService {group}={action}", answer.Message);
            }
            else answer = await InvokeAsync(handler, new CameraServiceRequest(group, action, query, body.Document.RootElement, context), context.RequestAborted).ConfigureAwait(false);
        }
        await WriteAnswerAsync(context, answer).ConfigureAwait(false);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    /// <summary>Splits <c>/video=stream&amp;camidx=0</c> (the path, decoded) and any <c>?query</c> into group, action and parameters.</summary>
    internal static (string Group, string Action, Dictionary<string, string> Query) ParseUrl(HttpRequest request)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = (request.Path.Value ?? "/").Trim().TrimStart('/').Trim();
        var parts = path.Split('&');
        var head = parts[0];
        var eq = head.IndexOf('=', StringComparison.Ordinal);
        var group = WireName.Normalize(eq < 0 ? head : head.AsSpan(0, eq));
        var action = eq < 0 ? "" : WireName.Normalize(head.AsSpan(eq + 1));
        foreach (var part in parts.Skip(1)) AddPair(query, part);
        foreach (var (k, v) in request.Query) query.TryAdd(WireName.Normalize(k), v.ToString());
        return (group, action, query);
    }

    private static bool HoldsNul(string group, string action, Dictionary<string, string> query) =>
        group.Contains('\0', StringComparison.Ordinal) || action.Contains('\0', StringComparison.Ordinal)
        || query.Any(p => p.Key.Contains('\0', StringComparison.Ordinal) || p.Value.Contains('\0', StringComparison.Ordinal));

    private static void AddPair(Dictionary<string, string> query, string pair)
    {
        if (pair.Length == 0) return;
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        var key = WireName.Normalize(eq < 0 ? pair : pair.AsSpan(0, eq));
        var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]).Trim();
        query.TryAdd(key, value);
    }

    /// <summary>A parsed body and what it holds: its buffer (pooled when small) and, for a large one, its turn at the upload gate.</summary>
    private sealed class Body(JsonDocument? document, CameraServiceAnswer? error) : IDisposable
    {
        public JsonDocument? Document { get; } = document;
        public CameraServiceAnswer? Error { get; } = error;
        public byte[]? Pooled { get; set; }
        public bool HoldsGate { get; set; }

        public void Dispose()
        {
            Document?.Dispose(); // first: it reads the buffer in place
            if (Pooled is { } pooled) ArrayPool<byte>.Shared.Return(pooled);
            Pooled = null;
            if (HoldsGate) BodyLimits.LargeBodies.Release();
            HoldsGate = false;
        }
    }

    /// <summary>Buffers up to this come from the shared pool; a larger upload gets an array of its own, let go after the call.</summary>
    private const int PooledBodyBytes = 1024 * 1024;

    /// <summary>
    /// UTF-8 JSON whatever the Content-Type; empty = {}. Read into a buffer sized by Content-Length when it is given and
    /// grown (doubling) up to <paramref name="limit"/> only: more is answered 8 and never buffered. A body that may pass
    /// <see cref="BodyLimits.Control"/> waits its turn at <see cref="BodyLimits.LargeBodies"/>, and is answered 9 when it waited too long.
    /// </summary>
    private static async Task<Body> ReadBodyAsync(HttpContext context, int limit)
    {
        // Kestrel would cut an oversized body off with a bare 413: this port reads (and drops) a bounded excess and answers 8 itself.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            sizeLimit.MaxRequestBodySize = (long)limit + BodyLimits.MaxDrainedBytes;
        var length = context.Request.ContentLength;
        if (length > limit) return await TooLargeAsync(context, limit).ConfigureAwait(false);
        var large = limit > BodyLimits.Control && !(length <= BodyLimits.Control);
        if (large && !await BodyLimits.LargeBodies.WaitAsync(BodyLimits.UploadWait, context.RequestAborted).ConfigureAwait(false))
        {
            context.Response.Headers.Connection = "close"; // its body is not read
            return new Body(null, CameraServiceAnswer.Error(ErrorCode.Busy, "上传过多，请稍后重试 / too many uploads at once, try again shortly"));
        }
        byte[]? buffer = null;
        var keep = false;
        try
        {
            buffer = Allocate(length is { } n ? (int)Math.Max(n, 1) : Math.Min(limit, 16 * 1024));
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled == length)
                    {
                        // Exactly what Content-Length said: expect its end, not more.
                        if (await context.Request.Body.ReadAsync(new byte[1], context.RequestAborted).ConfigureAwait(false) == 0) break;
                        return await TooLargeAsync(context, limit).ConfigureAwait(false);
                    }
                    if (filled > limit) return await TooLargeAsync(context, limit).ConfigureAwait(false);
                    var grown = Allocate((int)Math.Min((long)limit + 1, 2L * buffer.Length));
                    buffer.AsSpan(0, filled).CopyTo(grown);
                    Release(buffer);
                    buffer = grown;
                }
                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(filled), context.RequestAborted).ConfigureAwait(false);
                if (read == 0) break;
                filled += read;
                if (filled > limit) return await TooLargeAsync(context, limit).ConfigureAwait(false);
            }
            var body = ParseBody(buffer.AsMemory(0, filled));
            body.Pooled = buffer.Length <= PooledBodyBytes ? buffer : null;
            body.HoldsGate = large;
            keep = true;
            return body;
        }
        finally
        {
            if (!keep)
            {
                if (buffer is not null) Release(buffer);
                if (large) BodyLimits.LargeBodies.Release();
            }
        }
    }

    private static byte[] Allocate(int bytes) =>
        bytes <= PooledBodyBytes ? ArrayPool<byte>.Shared.Rent(bytes) : GC.AllocateUninitializedArray<byte>(bytes);

    private static void Release(byte[] buffer)
    {
        if (buffer.Length <= PooledBodyBytes) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>
    /// Answers 8. The rest of the body (up to <see cref="BodyLimits.MaxDrainedBytes"/> more) is read into a small buffer
    /// and dropped, so the sender reads the answer instead of a broken pipe; a body larger still is not read, and the
    /// connection closes after the answer.
    /// </summary>
    private static async Task<Body> TooLargeAsync(HttpContext context, int limit)
    {
        if (!(context.Request.ContentLength > (long)limit + BodyLimits.MaxDrainedBytes))
        {
            var sink = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                while (await context.Request.Body.ReadAsync(sink, context.RequestAborted).ConfigureAwait(false) > 0) { }
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                context.Response.Headers.Connection = "close"; // beyond even the drain limit
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(sink);
            }
        }
        else context.Response.Headers.Connection = "close";
        return new Body(null, CameraServiceAnswer.Error(ErrorCode.TooLarge, $"请求体过大 / body larger than {limit} bytes"));
    }

    private static Body ParseBody(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var document = WireJson.Parse(bytes);
            // fp=verify (§8.2) posts a bare array; every other call an object.
            if (document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array) return new Body(document, null);
            document.Dispose();
            return new Body(null, CameraServiceAnswer.Error(ErrorCode.BadRequest, "请求应为 JSON 对象或数组 / the body must be a JSON object or array"));
        }
        catch (JsonException e)
        {
            return new Body(null, CameraServiceAnswer.Error(ErrorCode.BadRequest, SocketEnvelope.Malformed(e.Message)));
        }
    }

    private async ValueTask<CameraServiceAnswer> InvokeAsync(CameraServiceHandler handler, CameraServiceRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await handler(request, cancellationToken).ConfigureAwait(false);
        }
        catch (CameraServiceException e)
        {
            return CameraServiceAnswer.Error(e.Code, e.Message) with { Written = e.Written };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (code, message) = HandlerFailure.Describe(e, cancellationToken, _log, $"CameraService {request.Group}={request.Action}");
            return CameraServiceAnswer.Error(code, message);
        }
    }

    private async Task WriteAnswerAsync(HttpContext context, CameraServiceAnswer answer)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = Serialize(answer, function: null);
        WireLog.Answer(_log, body);
        context.Response.ContentLength = body.Length;
        try
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            await context.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return; // the PC went away before the answer was out: whatever it carried stays pending
        }
        // Kestrel drops writes to a connection it already saw close instead of failing them: check it did not.
        if (!context.RequestAborted.IsCancellationRequested) AnswerWritten(answer);
    }

    private static byte[] Serialize(CameraServiceAnswer answer, string? function)
    {
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output, WriterOptions)) answer.Write(writer, function);
        return output.ToArray();
    }

    private void AnswerWritten(CameraServiceAnswer answer)
    {
        try
        {
            answer.Written?.Invoke();
        }
        catch (IOException e)
        {
            _log.LogError(e, "CameraService answer went out but could not be recorded as delivered; the PC may be given it again");
        }
    }

    /// <summary>WebSocket on any path: <c>{"function": NAME, "params": {...}}</c> in, <c>{"function": NAME, "code", …}</c> out.</summary>
    private async Task ServeWebSocketAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var messages = new MessageSocket(socket, MaxMessageBytes, _log);
        using var tracked = _sockets.Track(messages);
        var session = new SocketSession(this, PageIdentity.From(context), $"ws-{Interlocked.Increment(ref s_nextSession)}", new CameraServicePush(messages));
        try
        {
            await new JsonMessageLoop<CameraServiceHandler>(session, messages, _log, Client(context)).RunAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            // The page's session is over: what it left for that session only (its grabs) goes now.
            foreach (var end in _sessionEnds)
            {
                try { end.SessionEnded(session.Id); }
                catch (IOException e) { _log.LogWarning("ending WebSocket session {Session}: {Kind}", session.Id, e.GetType().Name); }
            }
        }
    }

    /// <summary>
    /// The <c>"function"</c> of an answer to a message that names none that can be read (malformed before it, not an
    /// object): the answers always carry one, and a page dispatching on it should not find an empty name there.
    /// </summary>
    internal const string UnparsedFunction = "error";

    /// <summary>One WebSocket connection's side of the shell: the port's framing and table, the connection's page.</summary>
    private sealed class SocketSession(CameraServicePort port, PageIdentity page, string id, CameraServicePush push) : IJsonMessageProtocol<CameraServiceHandler>
    {
        public string Id => id;

        public MessageEnvelope Envelope => SocketEnvelope;

        public CommandTable<CameraServiceHandler> Commands => port._routes.Functions;

        public OutgoingMessage Error(ErrorCode code, string message, string? command) =>
            new(Serialize(CameraServiceAnswer.Error(code, message), command ?? UnparsedFunction));

        public async ValueTask<OutgoingMessage?> RunAsync(CameraServiceHandler handler, string command, JsonElement parameters, CancellationToken cancel)
        {
            var request = new CameraServiceRequest("ws", WireName.Normalize(command), [], parameters.ValueKind == JsonValueKind.Object ? parameters : EmptyObject, null, page, id, push);
            var answer = await port.InvokeAsync(handler, request, cancel).ConfigureAwait(false);
            return new OutgoingMessage(Serialize(answer, command), answer.Written is null ? null : sent =>
            {
                if (sent) port.AnswerWritten(answer);
            });
        }
    }
}
