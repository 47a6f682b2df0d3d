using System.Security.Cryptography;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Microsoft.Extensions.Logging;

namespace Appliance.Core.Orders;

/// <summary>
/// The terminal's signing desk: takes orders (checked, placements resolved, stored), puts each signer in turn on the
/// counter, records every move durably, and queues the result push in the caller's shape once the order ends.
/// Every refusal is an <see cref="OrderException"/>. An order moves only along <see cref="OrderTransitions"/>.
/// </summary>
public sealed partial class OrderDesk : IDisposable, Storage.IRetention
{
    /// <summary>How often waiting orders are looked at (expiry, an idle counter for the next auto-started signer).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);

    private static readonly TaskRequester Requester = new("Orders", "desk", "");

    private readonly OrderStore _store;
    private readonly OrderOutbox _outbox;
    private readonly TerminalSession _session;
    private readonly ResultsJournal _journal;
    private readonly OrderCounterDevices _devices;
    private readonly IDocumentLayoutReader _layouts;
    private readonly IOrderResultPush _push;
    private readonly OrderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly ITimer _sweep;
    /// <summary>The order on the counter and its task.</summary>
    private (string OrderId, TerminalTask Task)? _counter;
    /// <summary>Orders that ended and whose push is not queued yet: filled under the gate, queued outside it (composing reads and encodes the whole PDF).</summary>
    private readonly List<string> _ended = [];

    public OrderDesk(OrderStore store, OrderOutbox outbox, TerminalSession session, ResultsJournal journal, OrderCounterDevices devices,
        IDocumentLayoutReader layouts, IOrderResultPush push, OrderOptions options, TimeProvider time, ILogger<OrderDesk> log)
    {
        _store = store;
        _outbox = outbox;
        _session = session;
        _journal = journal;
        _devices = devices;
        _layouts = layouts;
        _push = push;
        _options = options;
        _time = time;
        _log = log;
        Recover();
        _sweep = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    /// <summary>Raised after every durable move of an order (intake included).</summary>
    public event Action<OrderView>? Changed;


    // ------------------------------------------------------------ queries

    /// <summary>The caller's order by the terminal's id; <see cref="OrderFailure.UnknownOrder"/> when there is none for this caller.</summary>
    public OrderView Get(string caller, string id) =>
        _store.Find(id) is { } view && view.Order.Caller == caller ? view
            : throw new OrderException(OrderFailure.UnknownOrder, $"no order {id} for this caller");

    /// <summary>The caller's newest order with that number, or null.</summary>
    public OrderView? FindByNumber(string caller, string orderNumber) => _store.FindByNumber(caller, orderNumber);

    /// <summary>The caller's orders, oldest first.</summary>
    public IReadOnlyList<OrderView> List(string caller) => [.. _store.List().Where(o => o.Order.Caller == caller)];

    /// <summary>The signed PDF of a signed PDF order (the document after its last signer).</summary>
    public byte[] ResultDocument(OrderView view) =>
        view.State == OrderState.Signed && view.Order.Content == OrderContentKind.Pdf
            ? _store.ReadContent(view, view.Progress.SignersDone)
            : throw new OrderException(OrderFailure.BadParameter, $"order {view.Id} has no signed document ({view.State})");

    // ------------------------------------------------------------ moves

    /// <summary>Withdraws an order not yet ended (seed 004 revoke); one on the counter is taken off it.</summary>
    public OrderView Revoke(string caller, string id)
    {
        var view = Get(caller, id);
        TerminalTask? task = null;
        lock (_gate)
        {
            view = _store.Find(id)!;
            if (view.State.IsFinal()) throw new OrderException(OrderFailure.AlreadyEnded, $"order {id} already ended ({view.State})");
            if (_counter is { } c && c.OrderId == id) task = c.Task;
            view = End(view, OrderTrigger.Revoke, OrderFailure.Revoked, "revoked by its caller");
        }
        task?.Abort("签署已撤销 / the order was revoked");
        QueueEnded();
        return view;
    }

    /// <summary>Puts a waiting order's next signer on the counter (<see cref="OrderFailure.TerminalBusy"/> when another task is there).</summary>
    public OrderView Start(string caller, string id)
    {
        Get(caller, id);
        return TryStart(id, byOperator: true) ?? throw new OrderException(OrderFailure.TerminalBusy,
            $"another task is on the terminal's screen ({_session.Current?.Kind.ToString() ?? "finishing"}); start the order when it ends");
    }

    /// <summary>Starts the order's next signer when the counter is free; null when it is not (or, unasked, when the order should not start).</summary>
    private OrderView? TryStart(string id, bool byOperator)
    {
        try
        {
            return TryStartLocked(id, byOperator);
        }
        finally
        {
            QueueEnded(); // an order found expired here
        }
    }

    private OrderView? TryStartLocked(string id, bool byOperator)
    {
        OrderView view;
        TerminalTask task;
        lock (_gate)
        {
            view = _store.Find(id)!;
            if (view.State.IsFinal()) throw new OrderException(view.State == OrderState.Expired ? OrderFailure.Expired : OrderFailure.AlreadyEnded, $"order {id} already ended ({view.State})");
            if (view.State == OrderState.Signing) return view;
            if (!byOperator && view.Progress.Held) return null;
            if (_counter is not null) return null;
            if (_time.GetUtcNow() >= view.Order.ExpiresAt)
            {
                End(view, OrderTrigger.Expire, OrderFailure.Expired, "not signed before it expired");
                throw new OrderException(OrderFailure.Expired, $"order {id} expired at {view.Order.ExpiresAt:O}");
            }
            var signer = view.Progress.SignersDone;
            var content = _store.ReadContent(view, view.Order.Content == OrderContentKind.Pdf ? signer : 0);
            var counter = new OrderCounter(view.Order, signer, content, _devices, _options.IdCardAttempts);
            StartAttempt attempt;
            try
            {
                attempt = _session.TryStart(TaskKind.SignOrder, Requester with { Connection = id }, TimeSpan.FromSeconds(_options.CounterTimeoutSeconds),
                new Capture.ScreenPrompt($"请 {view.Order.Signers[signer].Name} 签署 / {view.Order.Signers[signer].Name}, please sign", ""),
                cancel => RunCounterAsync(id, counter, cancel));
            }
            catch (ObjectDisposedException)
            {
                return null; // the terminal is shutting down: the order waits for the next start
            }
            if (attempt.Started is not { } started) return null;
            task = started;
            _counter = (id, task);
            view = Move(view, OrderTrigger.Start, p => p with { Held = false });
        }
        _log.LogInformation("order {Id}: signer {Signer}/{Count} ({Name}) at the counter", id, view.Progress.SignersDone + 1, view.Order.Signers.Count, view.Order.Signers[view.Progress.SignersDone].Name);
        _ = task.Finished.ContinueWith(t => CounterEnded(id, t), TaskScheduler.Default);
        return view;
    }

    /// <summary>The counter task's work: the signer's turn, and every outcome stored before the task reports it.</summary>
    private async Task<TaskProduct> RunCounterAsync(string id, OrderCounter counter, CancellationToken cancel)
    {
        var outcome = await counter.RunAsync(cancel).ConfigureAwait(false);
        try
        {
            return Record(id, outcome);
        }
        finally
        {
            QueueEnded();
        }
    }

    private TaskProduct Record(string id, CounterOutcome outcome)
    {
        lock (_gate)
        {
            var view = _store.Find(id)!;
            if (view.State != OrderState.Signing) return TaskProduct.CancelledByPerson; // revoked meanwhile: what was signed is not used
            switch (outcome)
            {
                case CounterOutcome.Signed s:
                    view = SignerSigned(view, s);
                    return new TaskProduct(true, [new("orderId", id), new("signersDone", view.Progress.SignersDone.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new("state", view.State.ToString())], []);
                case CounterOutcome.IdentityMismatch m:
                    End(view, OrderTrigger.IdentityMismatch, OrderFailure.IdentityMismatch, "身份不符 / identity mismatch: " + m.Detail);
                    throw new CaptureException(CaptureFailure.BadRequest, "身份证与签署人不符 / the ID card is not the signer's");
                default:
                    End(view, OrderTrigger.Refuse, OrderFailure.Refused, $"signer {view.Progress.SignersDone + 1} refused on the terminal");
                    return TaskProduct.CancelledByPerson;
            }
        }
    }

    private OrderView SignerSigned(OrderView view, CounterOutcome.Signed s)
    {
        var signer = view.Progress.SignersDone;
        var now = _time.GetUtcNow();
        _store.WriteFile(view.Id, OrderStore.SignatureName(signer), s.SignaturePng);
        string sha;
        if (s.Document is { } pdf)
        {
            _store.WriteFile(view.Id, OrderStore.ContentName(view.Order, signer + 1), pdf);
            sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        }
        else sha = Convert.ToHexStringLower(SHA256.HashData(s.Data!.Value));
        var last = signer + 1 == view.Order.Signers.Count;
        var result = new SignerResult(signer, now, s.IdCardChecked, sha, OrderStore.SignatureName(signer));
        view = Move(view, last ? OrderTrigger.LastSignerDone : OrderTrigger.SignerDone, p => p with
        {
            SignersDone = signer + 1,
            Signed = [.. p.Signed, result],
            ResultSha256 = last ? sha : "",
            DataSignature = s.Data is { } d ? Convert.ToBase64String(d.Value) : p.DataSignature,
            Certificate = s.Data is { } c ? Convert.ToBase64String(c.Certificate) : p.Certificate,
        });
        _log.LogInformation("order {Id}: signer {Signer}/{Count} signed (sha256 {Sha})", view.Id, signer + 1, view.Order.Signers.Count, sha);
        // The version before this signer's is inside the new one (an incremental update): only the original and the latest are kept.
        if (s.Document is not null && signer > 0) _store.DeleteFile(view.Id, OrderStore.ContentName(view.Order, signer));
        if (last) _ended.Add(view.Id);
        return view;
    }

    /// <summary>After the counter task was journaled: a task that ended without a decision leaves the order waiting, held.</summary>
    private void CounterEnded(string id, Task<JournalEntry> finished)
    {
        try
        {
            AfterCounter(id, finished);
        }
        catch (Exception e)
        {
            _log.LogError(e, "order {Id}: recording the end of its counter task failed", id);
        }
    }

    private void AfterCounter(string id, Task<JournalEntry> finished)
    {
        string? next = null;
        lock (_gate)
        {
            if (_counter is { } c && c.OrderId == id) _counter = null;
            if (finished.IsCompletedSuccessfully) _journal.MarkDelivered(finished.Result.Sequence); // the order store carries it on
            var view = _store.Find(id)!;
            if (view.State == OrderState.Signing)
            {
                var why = finished.IsCompletedSuccessfully ? finished.Result.State.ToString() : "the journal failed";
                view = Move(view, OrderTrigger.Interrupted, p => p with { Held = true });
                _log.LogWarning("order {Id}: the counter ended without a decision ({Why}); waiting for an operator's start", id, why);
            }
            else if (view.State == OrderState.Waiting && view.Order.AutoStart) next = id; // the next signer steps up
        }
        if (next is not null) TryStartQuietly(next);
        else Sweep();
    }

    private void TryStartQuietly(string id)
    {
        try { TryStart(id, byOperator: false); }
        catch (OrderException e) { _log.LogInformation("order {Id} not started: {Reason}", id, e.Message); }
        catch (Exception e) { _log.LogError(e, "order {Id} could not be started", id); } // a timer's thread: nothing may escape
    }

    /// <summary>Expires what is past its time and starts the oldest auto-start order when the counter is free.</summary>
    private void Sweep()
    {
        try
        {
            SweepOnce();
        }
        catch (Exception e)
        {
            // A timer's thread: an exception here would end the process (a full disk, a file gone under us).
            _log.LogError(e, "the order desk's sweep failed; it runs again in {Seconds} s", SweepInterval.TotalSeconds);
        }
        finally
        {
            QueueEnded();
        }
    }

    private void SweepOnce()
    {
        var now = _time.GetUtcNow();
        List<OrderView> waiting;
        lock (_gate)
        {
            foreach (var view in _store.List().Where(o => o.State == OrderState.Waiting && now >= o.Order.ExpiresAt))
                End(view, OrderTrigger.Expire, OrderFailure.Expired, "not signed before it expired");
            if (_counter is not null || _session.Current is not null) return;
            waiting = [.. _store.List().Where(o => o.State == OrderState.Waiting && o.Order.AutoStart && !o.Progress.Held)];
        }
        foreach (var view in waiting)
        {
            try
            {
                if (TryStart(view.Id, byOperator: false) is { State: OrderState.Signing }) return;
            }
            catch (OrderException e)
            {
                _log.LogInformation("order {Id} not started: {Reason}", view.Id, e.Message);
            }
        }
    }

    /// <summary>Moves an order along the table and stores it (under the gate).</summary>
    private OrderView Move(OrderView view, OrderTrigger trigger, Func<OrderProgress, OrderProgress>? change = null)
    {
        var next = OrderTransitions.Next(view.State, trigger)
            ?? throw new OrderException(OrderFailure.AlreadyEnded, $"order {view.Id}: {trigger} is not possible when {view.State}");
        var progress = (change?.Invoke(view.Progress) ?? view.Progress) with { State = next, UpdatedAt = _time.GetUtcNow() };
        var stored = _store.Save(view.Id, progress);
        Changed?.Invoke(stored);
        return stored;
    }

    /// <summary>Ends an order unsigned and queues its push.</summary>
    private OrderView End(OrderView view, OrderTrigger trigger, OrderFailure failure, string reason)
    {
        view = Move(view, trigger, p => p with { EndFailure = failure, EndReason = reason, Held = false });
        _log.LogInformation("order {Id} ended {State}: {Reason}", view.Id, view.State, reason);
        _ended.Add(view.Id);
        return view;
    }


    public void Dispose() => _sweep.Dispose();
}
