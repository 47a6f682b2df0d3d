using System.Text.Json;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Appliance.Protocols.Orders;

/// <summary>
/// An order call's body, read whole but never past its limit (docs/PROTOCOLS.md "Limits"): into a buffer sized by
/// Content-Length, or grown by doubling up to the limit when chunked. A body that may pass <see cref="BodyLimits.Control"/>
/// first waits its turn at <see cref="BodyLimits.LargeBodies"/> (up to <see cref="BodyLimits.UploadWait"/>), and holds it
/// until the call is answered. UTF-8 JSON as every body (<see cref="WireJson"/>); it must be an object.
/// </summary>
public sealed class OrderBody : IDisposable
{
    private readonly JsonDocument _document;
    private bool _holdsTurn;

    private OrderBody(JsonDocument document, bool holdsTurn)
    {
        _document = document;
        _holdsTurn = holdsTurn;
    }

    public JsonElement Root => _document.RootElement;

    /// <exception cref="OrderCallException"><see cref="OrderCallProblem.BodyTooLarge"/>, <see cref="OrderCallProblem.UploadsBusy"/>, <see cref="OrderCallProblem.NotJson"/>.</exception>
    public static async Task<OrderBody> ReadAsync(HttpContext context, int limit)
    {
        // Kestrel's own cut (30 MB by default) would answer a bare 413 below this route's limit; this reader answers itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            sizeLimit.MaxRequestBodySize = (long)limit + BodyLimits.MaxDrainedBytes;
        var length = context.Request.ContentLength;
        if (length > limit) throw await TooLargeAsync(context, limit).ConfigureAwait(false);
        var large = limit > BodyLimits.Control && !(length <= BodyLimits.Control);
        if (large && !await BodyLimits.LargeBodies.WaitAsync(BodyLimits.UploadWait, context.RequestAborted).ConfigureAwait(false))
        {
            context.Response.Headers.Connection = "close"; // its body is not read
            throw new OrderCallException(OrderCallProblem.UploadsBusy, "上传过多，请稍后重试 / too many uploads at once, try again shortly");
        }
        var keep = false;
        try
        {
            var buffer = new byte[length is { } n ? (int)n : Math.Min(limit, 16 * 1024)];
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled == length)
                    {
                        // Exactly what Content-Length said: expect its end, not more.
                        if (await context.Request.Body.ReadAsync(new byte[1], context.RequestAborted).ConfigureAwait(false) == 0) break;
                        throw await TooLargeAsync(context, limit).ConfigureAwait(false);
                    }
                    if (filled > limit) throw await TooLargeAsync(context, limit).ConfigureAwait(false);
                    var grown = new byte[(int)Math.Min((long)limit + 1, 2L * Math.Max(buffer.Length, 1))];
                    buffer.AsSpan(0, filled).CopyTo(grown);
                    buffer = grown;
                }
                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(filled), context.RequestAborted).ConfigureAwait(false);
                if (read == 0) break;
                filled += read;
                if (filled > limit) throw await TooLargeAsync(context, limit).ConfigureAwait(false);
            }
            JsonDocument document;
            try
            {
                document = WireJson.Parse(buffer.AsMemory(0, filled));
            }
            catch (JsonException e)
            {
                throw new OrderCallException(OrderCallProblem.NotJson, "body: " + WireJson.Describe(e));
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new OrderCallException(OrderCallProblem.NotJson, "body: expected a JSON object");
            }
            keep = true;
            return new OrderBody(document, large);
        }
        finally
        {
            if (!keep && large) BodyLimits.LargeBodies.Release();
        }
    }

    /// <summary>
    /// The refusal of an oversized body. The rest of it (up to <see cref="BodyLimits.MaxDrainedBytes"/> more) is read into a
    /// small buffer and dropped so the sender reads the answer rather than a broken pipe; beyond that the connection closes.
    /// </summary>
    private static async Task<OrderCallException> TooLargeAsync(HttpContext context, int limit)
    {
        if (!(context.Request.ContentLength > (long)limit + BodyLimits.MaxDrainedBytes))
        {
            var sink = new byte[64 * 1024];
            try
            {
                while (await context.Request.Body.ReadAsync(sink, context.RequestAborted).ConfigureAwait(false) > 0) { }
            }
            catch (BadHttpRequestException)
            {
                context.Response.Headers.Connection = "close"; // beyond even the drain limit
            }
        }
        else context.Response.Headers.Connection = "close";
        return new OrderCallException(OrderCallProblem.BodyTooLarge, $"请求体过大 / body larger than {limit} bytes");
    }

    public void Dispose()
    {
        _document.Dispose();
        if (_holdsTurn) BodyLimits.LargeBodies.Release();
        _holdsTurn = false;
    }
}
