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
    public async Task RunAsync(HttpContext context, string function, int bodyLimit, OrderDialect dialect, OrderHandler handler)
    {
        var address = AccessGate.RemoteAddress(context).ToString();
        PairedPc? pc = null;
        byte[] answer;
        string outcome;
        try
        {
            using var body = await OrderBody.ReadAsync(context, bodyLimit).ConfigureAwait(false);
            pc = authenticator.Authenticate(body.Root, function, commandRequired: false);
            OrderFields.RefuseAmbiguousNames(body.Root);
            var call = new OrderCall(function, body.Root, pc, address);
            answer = Write(w => handler(call, w));
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
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A JSON value written to bytes (an answer, a push body).</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) write(w);
        return buffer.ToArray();
    }
}
