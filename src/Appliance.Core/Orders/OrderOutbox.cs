using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Appliance.Core.Orders;

/// <summary>When a receiver counts as having taken a push (each shape's own "received").</summary>
public enum PushAcceptance
{
    /// <summary>Seed 002: the answer's body is <c>1</c> (or JSON whose <c>status</c> is 1).</summary>
    BodyIsOne,
    /// <summary>Seed 004: JSON whose <c>status</c> is 200.</summary>
    CossStatus200,
    /// <summary>Seed 001: any 2xx answer.</summary>
    Http2xx,
}

/// <summary>A push waiting in (or delivered from) the outbox. Its body is written once, so every retry sends the same bytes.</summary>
public sealed record OutboxMessage
{
    public required long Sequence { get; init; }
    public required string OrderId { get; init; }
    public required string Url { get; init; }
    /// <summary>Order number + ":" + the result's SHA-256 (an unsigned end: order number, id and end): the same on every retry of one result, sent as <c>Idempotency-Key</c>.</summary>
    public required string IdempotencyKey { get; init; }
    public string ContentType { get; init; } = "application/json; charset=utf-8";
    public PushAcceptance Acceptance { get; init; }
    /// <summary>SHA-256 (hex) pin of the receiver's certificate; empty: the configured CA or system trust.</summary>
    public string Pin { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string LastError { get; init; } = "";
    public DateTimeOffset? DeliveredAt { get; init; }
}

/// <summary>What one try of a push came to.</summary>
public readonly record struct PushAnswer(bool Accepted, string Detail);

/// <summary>Sends one push (https, certificate checked); never throws for the network or the receiver: they are a <see cref="PushAnswer"/>.</summary>
public interface IOutboxTransport
{
    Task<PushAnswer> SendAsync(OutboxMessage message, Stream body, CancellationToken cancel);
}

public sealed class OutboxOptions
{
    /// <summary>The first retry waits this long; each next one twice as long, up to <see cref="RetryMaxSeconds"/>.</summary>
    public double RetryInitialSeconds { get; set; } = 5;
    public double RetryMaxSeconds { get; set; } = 600;
    /// <summary>Delivered pushes are kept this long (for the operator), then removed.</summary>
    public int DeliveredKeepHours { get; set; } = 168;
}

/// <summary>
/// The durable outbox of order results (<c>STATE_DIR/orders/outbox</c>): a push is written (body file, then its record,
/// each fsynced) before anyone tries to send it, retried with backoff until its receiver takes it, and survives restarts.
/// One result of one order is one message: enqueuing it again returns the one already there.
/// </summary>
public sealed class OrderOutbox
{
    private const string RecordSuffix = ".json", BodySuffix = ".body";
    private readonly string _directory;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly SortedList<long, OutboxMessage> _messages = [];
    private long _next = 1;

    public OrderOutbox(string stateDir, OutboxOptions options, TimeProvider time, ILogger<OrderOutbox> log)
    {
        _directory = Path.Combine(stateDir, "orders", "outbox");
        _options = options;
        _time = time;
        _log = log;
        Directory.CreateDirectory(_directory);
        Load();
    }

    /// <summary>Raised after a message was enqueued (the delivery loop wakes).</summary>
    public event Action? Enqueued;

    public IReadOnlyList<OutboxMessage> Messages { get { lock (_gate) return [.. _messages.Values]; } }

    /// <summary>Writes the push durably; the one already there when this order's result was enqueued before.</summary>
    public OutboxMessage Enqueue(string orderId, string url, string idempotencyKey, byte[] body, PushAcceptance acceptance, string pin = "", string contentType = "application/json; charset=utf-8")
    {
        OutboxMessage message;
        lock (_gate)
        {
            if (_messages.Values.FirstOrDefault(m => m.OrderId == orderId && m.IdempotencyKey == idempotencyKey) is { } existing) return existing;
            var now = _time.GetUtcNow();
            message = new OutboxMessage
            {
                Sequence = _next++, OrderId = orderId, Url = url, IdempotencyKey = idempotencyKey, Acceptance = acceptance, Pin = pin,
                ContentType = contentType, CreatedAt = now, NextAttemptAt = now,
            };
            WriteDurably(BodyPath(message.Sequence), body);
            Save(message);
            _messages.Add(message.Sequence, message);
        }
        _log.LogInformation("outbox: push #{Sequence} of order {Order} to {Url} queued ({Bytes} bytes, key {Key})", message.Sequence, orderId, url, body.Length, idempotencyKey);
        Enqueued?.Invoke();
        return message;
    }

    /// <summary>When the next undelivered message is due (null: none waiting).</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
                return _messages.Values.Where(m => m.DeliveredAt is null).Select(m => (DateTimeOffset?)m.NextAttemptAt).Min();
        }
    }

    /// <summary>Tries every message that is due, oldest first; returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(IOutboxTransport transport, CancellationToken cancel)
    {
        var now = _time.GetUtcNow();
        List<OutboxMessage> due;
        lock (_gate) due = [.. _messages.Values.Where(m => m.DeliveredAt is null && m.NextAttemptAt <= now)];
        var delivered = 0;
        foreach (var message in due)
        {
            cancel.ThrowIfCancellationRequested();
            PushAnswer answer;
            try
            {
                await using var body = File.OpenRead(BodyPath(message.Sequence));
                answer = await transport.SendAsync(message, body, cancel).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                answer = new PushAnswer(false, "the body could not be read: " + e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                // A transport that breaks its promise not to throw: one attempt that failed, with its backoff, rather
                // than an exception that would stop every push queued behind this one, on every round.
                _log.LogError(e, "outbox: push #{Sequence} of order {Order}: the transport failed", message.Sequence, message.OrderId);
                answer = new PushAnswer(false, $"the transport failed ({e.GetType().Name})");
            }
            var attempts = message.Attempts + 1;
            OutboxMessage updated;
            if (answer.Accepted)
            {
                updated = message with { Attempts = attempts, DeliveredAt = _time.GetUtcNow(), LastError = "" };
                delivered++;
                _log.LogInformation("outbox: push #{Sequence} of order {Order} delivered after {Attempts} attempt(s)", message.Sequence, message.OrderId, attempts);
            }
            else
            {
                var delay = TimeSpan.FromSeconds(Math.Min(_options.RetryMaxSeconds, _options.RetryInitialSeconds * Math.Pow(2, Math.Min(attempts - 1, 30))));
                updated = message with { Attempts = attempts, LastError = answer.Detail, NextAttemptAt = _time.GetUtcNow() + delay };
                _log.LogWarning("outbox: push #{Sequence} of order {Order} to {Url} not taken (attempt {Attempts}): {Detail}; next try in {Delay:0.#} s",
                    message.Sequence, message.OrderId, message.Url, attempts, answer.Detail, delay.TotalSeconds);
            }
            lock (_gate)
            {
                Save(updated);
                _messages[updated.Sequence] = updated;
            }
        }
        Prune();
        return delivered;
    }

    /// <summary>The body of a message as stored (tests, the operator).</summary>
    public byte[] ReadBody(OutboxMessage message) => File.ReadAllBytes(BodyPath(message.Sequence));

    private string RecordPath(long sequence) => Path.Combine(_directory, sequence.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + RecordSuffix);
    private string BodyPath(long sequence) => Path.Combine(_directory, sequence.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + BodySuffix);

    private void Save(OutboxMessage message) => WriteDurably(RecordPath(message.Sequence), JsonSerializer.SerializeToUtf8Bytes(message, OutboxJson.Default.OutboxMessage));

    private void WriteDurably(string path, byte[] bytes)
    {
        PrivateFile.WriteAtomic(path, bytes);
        Interop.Libc.FsyncDirectory(_directory);
    }

    private void Load()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + RecordSuffix))
        {
            try
            {
                var message = JsonSerializer.Deserialize(File.ReadAllBytes(path), OutboxJson.Default.OutboxMessage);
                if (message is null || !File.Exists(BodyPath(message.Sequence))) throw new JsonException("no body");
                _messages[message.Sequence] = message;
            }
            catch (Exception e) when (e is JsonException or IOException or ArgumentException or NotSupportedException)
            {
                _log.LogError("outbox record {Path} is unreadable ({Reason}); moved aside as .corrupt", path, e.Message);
                File.Move(path, path + ".corrupt", overwrite: true);
            }
        }
        foreach (var tmp in Directory.EnumerateFiles(_directory, "*.tmp")) File.Delete(tmp);
        _next = _messages.Count == 0 ? 1 : _messages.Keys[^1] + 1;
        var waiting = _messages.Values.Count(m => m.DeliveredAt is null);
        if (_messages.Count > 0) _log.LogInformation("outbox {Directory}: {Count} pushes, {Waiting} not yet delivered", _directory, _messages.Count, waiting);
    }

    private void Prune()
    {
        var cutoff = _time.GetUtcNow() - TimeSpan.FromHours(_options.DeliveredKeepHours);
        lock (_gate)
        {
            foreach (var old in _messages.Values.Where(m => m.DeliveredAt < cutoff).ToList())
            {
                File.Delete(RecordPath(old.Sequence));
                File.Delete(BodyPath(old.Sequence));
                _messages.Remove(old.Sequence);
            }
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(OutboxMessage))]
internal sealed partial class OutboxJson : JsonSerializerContext;
