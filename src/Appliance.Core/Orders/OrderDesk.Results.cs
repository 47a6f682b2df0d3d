using System.Security.Cryptography;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Microsoft.Extensions.Logging;

namespace Appliance.Core.Orders;

/// <summary>After an order ends: its push composed and queued once, recovery after a restart, and retention.</summary>
public sealed partial class OrderDesk
{
    /// <summary>Queues the pushes of the orders that ended meanwhile (outside the gate).</summary>
    private void QueueEnded()
    {
        List<string> ended;
        lock (_gate)
        {
            if (_ended.Count == 0) return;
            ended = [.. _ended];
            _ended.Clear();
        }
        foreach (var id in ended) Queue(id);
    }

    /// <summary>
    /// Composes the ended order's push and puts it in the outbox (after the order's end is durable), then records that it
    /// did, so a restart composes it again only when it never got there (and never once the outbox pruned it).
    /// </summary>
    private void Queue(string id)
    {
        try
        {
            if (_store.Find(id) is not { } ended || ended.Progress.PushQueued) return;
            var result = ended.State == OrderState.Signed && ended.Order.Content == OrderContentKind.Pdf ? ResultDocument(ended) : null;
            if (_push.Compose(ended, result) is { } push)
                _outbox.Enqueue(ended.Id, push.Url, push.IdempotencyKey, push.Body, push.Acceptance, push.Pin.Length > 0 ? push.Pin : ended.Order.CallbackPin);
            lock (_gate)
                if (_store.Find(id) is { } now) _store.Save(id, now.Progress with { PushQueued = true });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The order's end is stored: the push is composed again at the next start (Recover).
            _log.LogError(e, "order {Id}: its result push could not be queued", id);
        }
    }

    /// <summary>After a restart: an order that was on the counter waits (held); an ended order whose push never reached the outbox gets it.</summary>
    private void Recover()
    {
        foreach (var view in _store.List())
        {
            if (view.State == OrderState.Signing)
            {
                Move(view, OrderTrigger.Interrupted, p => p with { Held = true });
                _log.LogWarning("order {Id} was on the counter when the terminal stopped; waiting for an operator's start", view.Id);
            }
            else if (view.State.IsFinal() && !view.Progress.PushQueued)
                _ended.Add(view.Id);
        }
        QueueEnded();
    }

    string Storage.IRetention.RetentionName => "orders";

    /// <summary>Removes ended orders past <c>orders:keepHours</c> whose result was received (or had no callback), and any past <c>orders:undeliveredKeepHours</c>.</summary>
    int Storage.IRetention.ApplyRetention()
    {
        var now = _time.GetUtcNow();
        var undelivered = _outbox.Messages.Where(m => m.DeliveredAt is null).Select(m => m.OrderId).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        lock (_gate)
        {
            foreach (var view in _store.List().Where(o => o.State.IsFinal()))
            {
                var age = now - view.Progress.UpdatedAt;
                var waiting = undelivered.Contains(view.Id);
                if (age < TimeSpan.FromHours(waiting ? _options.UndeliveredKeepHours : _options.KeepHours)) continue;
                if (waiting) _log.LogWarning("order {Id} ({Number}) removed after {Hours} h although its result was never received", view.Id, view.Order.OrderNumber, _options.UndeliveredKeepHours);
                _store.Remove(view.Id);
                removed++;
            }
        }
        return removed;
    }
}
