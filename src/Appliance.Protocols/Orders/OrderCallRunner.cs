using System.Text.Encodings.Web;
using System.Text.Json;
using Appliance.Core.Audit;
using Appliance.Core.Orders;
using Appliance.Core.Pairing;
using Appliance.Protocols.Security;
using Appliance.Protocols.Security.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Orders;

/// <summary>An authenticated order call: the function the path names, the body and the paired PC that sent it.</summary>
public sealed record OrderCall(string Function, JsonElement Body, PairedPc Caller, string Address)
{
    public OrderFields Fields => new(Body);
}

/// <summary>Answers an authenticated call: writes the whole answer object (success) or throws (a refusal).</summary>
public delegate void OrderHandler(OrderCall call, Utf8JsonWriter answer);

/// <summary>
/// Answers an authenticated call whose answer may be too large to build in memory first (<c>getSignResult</c> with a
/// signed PDF): returns the answer (<see cref="OrderAnswer"/>) or throws (a refusal). The call's body is disposed once
/// this returns: a streamed answer must not read <see cref="OrderCall.Body"/>.
/// </summary>
public delegate Task<OrderAnswer> OrderAsyncHandler(OrderCall call, CancellationToken cancel);

/// <summary>
/// What an <see cref="OrderAsyncHandler"/> answers: JSON built in memory like every answer (<see cref="Built"/>), or JSON
/// written straight over the response body after the call is audited (<see cref="Streamed"/>: megabytes of base64 are
/// not copied into buffers first), holding what it took for that (a large-body turn) until it is disposed.
/// </summary>
public sealed class OrderAnswer : IDisposable
{
    private Action? _release;

    private OrderAnswer(Action<Utf8JsonWriter>? build, Func<Utf8JsonWriter, CancellationToken, Task>? stream, Action? release)
    {
        Build = build;
        Stream = stream;
        _release = release;
    }

    internal Action<Utf8JsonWriter>? Build { get; }

    internal Func<Utf8JsonWriter, CancellationToken, Task>? Stream { get; }

    public static OrderAnswer Built(Action<Utf8JsonWriter> write) => new(write, null, null);

    /// <param name="write">Writes the whole answer object; flushes the writer (asynchronously) as often as it likes.</param>
    /// <param name="release">Gives back what the answer held; runs once, when the answer is disposed.</param>
    public static OrderAnswer Streamed(Func<Utf8JsonWriter, CancellationToken, Task> write, Action release) => new(null, write, release);

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

/// <summary>
/// What every order route does around its handler: reads the body within the route's limit (<see cref="OrderBody"/>),
/// authenticates it as /manage does (<see cref="SignedCallAuthenticator"/>; <c>command</c> optional), refuses ambiguous
/// parameter names, runs the handler, answers a refusal in the shape's words (<see cref="OrderDialect"/>), audits the
/// call and writes the answer. Every answer is HTTP 200 with the code in the body, as the seeds' clients read it.
/// </summary>
public sealed class OrderCallRunner(SignedCallAuthenticator authenticator, AuditLog audit, TimeProvider clock, ILogger<OrderCallRunner> log)
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="function">What the path calls, as a signed <c>command</c> must name it: the path without its leading '/'.</param>
    /// <param name="bodyLimit">The largest body the route reads (<see cref="Wire.BodyLimits"/>).</param>
    public Task RunAsync(HttpContext context, string function, int bodyLimit, OrderDialect dialect, OrderHandler handler) =>
        RunAsync(context, function, bodyLimit, dialect, (call, _) => Task.FromResult(OrderAnswer.Built(w => handler(call, w))));

    /// <inheritdoc cref="RunAsync(HttpContext, string, int, OrderDialect, OrderHandler)"/>
    public async Task RunAsync(HttpContext context, string function, int bodyLimit, OrderDialect dialect, OrderAsyncHandler handler)
    {
        var address = AccessGate.RemoteAddress(context).ToString();
        PairedPc? pc = null;
        byte[] answer = [];
        OrderAnswer? streamed = null;
        string outcome;
        try
        {
            try
            {
                using var body = await OrderBody.ReadAsync(context, bodyLimit).ConfigureAwait(false);
                pc = authenticator.Authenticate(body.Root, function, commandRequired: false);
                OrderFields.RefuseAmbiguousNames(body.Root);
                var call = new OrderCall(function, body.Root, pc, address);
                var reply = await handler(call, context.RequestAborted).ConfigureAwait(false);
                if (reply.Stream is not null) streamed = reply;
                else
                    using (reply) answer = Write(reply.Build!);
                outcome = "ok";
            }
            catch (Exception e) when (e is OrderCallException or SignedCallException or OrderException)
            {
                var refusal = dialect.Refusal(e);
                if (e is OrderException { Failure: OrderFailure.Internal })
                    log.LogError(e, "order call {Function} from {Address}: the terminal failed", function, address);
                answer = Write(w => dialect.WriteError(w, refusal));
                outcome = $"{refusal.Code} {refusal.Message}";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "order call {Function} from {Address} failed", function, address);
                var refusal = dialect.Refusal(e);
                answer = Write(w => dialect.WriteError(w, refusal));
                outcome = $"{refusal.Code} internal error";
            }
            audit.Record(new AuditEntry(clock.GetUtcNow(), pc?.KeyId ?? "", address, context.Request.Headers.Origin.ToString(), "Admin", function, outcome));

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            if (streamed is null)
            {
                context.Response.ContentLength = answer.Length;
                await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
            }
            else await StreamAsync(context, streamed).ConfigureAwait(false);
        }
        finally
        {
            streamed?.Dispose(); // what a streamed answer held (a large-body turn) goes back however the call ended
        }
    }

    /// <summary>
    /// A streamed answer over the response body, chunked (its length is known once written): only what the writer holds
    /// between the answer's flushes is buffered.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, OrderAnswer streamed)
    {
        var w = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        await using (w.ConfigureAwait(false))
        {
            try
            {
                await streamed.Stream!(w, context.RequestAborted).ConfigureAwait(false);
                await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                w.Reset(Stream.Null); // the caller went away mid-answer: nothing more to send, nothing to flush
            }
        }
    }

    /// <summary>A JSON value written to bytes (an answer, a push body).</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) write(w);
        return buffer.ToArray();
    }
}
