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
public sealed class OrderDesk : IDisposable, Storage.IRetention
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

    // ------------------------------------------------------------ intake

    /// <summary>Checks and stores a new order; starts it on the counter when it asks to and the terminal is idle.</summary>
    public OrderView Accept(OrderIntake intake)
    {
        Check(intake);
        var now = _time.GetUtcNow();
        var validFor = intake.ValidFor ?? OrderLimits.DefaultValidity;
        if (validFor <= TimeSpan.Zero || validFor > OrderLimits.MaxValidity)
            throw new OrderException(OrderFailure.BadParameter, $"expiry: 1..{OrderLimits.MaxValidity.TotalMinutes:0} minutes, found {validFor.TotalMinutes:0}");
        var signers = intake.Content == OrderContentKind.Pdf ? ResolvePlacements(intake) : [.. intake.Signers.Select(s => ToSigner(s, []))];
        OrderView view;
        lock (_gate)
        {
            if (_store.FindByNumber(intake.Caller, intake.OrderNumber) is { } existing)
            {
                if (existing.State == OrderState.Signed)
                    throw new OrderException(OrderFailure.AlreadySigned, $"order {intake.OrderNumber} was already signed (signid {existing.Id})");
                if (!existing.State.IsFinal())
                    throw new OrderException(OrderFailure.BeingSigned, $"order {intake.OrderNumber} is being signed (signid {existing.Id}, {existing.State})");
                // An order number whose order was refused, expired or revoked may be placed again: a new order with a new id.
            }
            if (_store.List().Count(o => !o.State.IsFinal()) >= OrderLimits.MaxOpenOrders)
                throw new OrderException(OrderFailure.TooManyOrders, $"the terminal keeps at most {OrderLimits.MaxOpenOrders} open orders");
            // What the order may come to take: the document as received and its latest signed version (earlier ones are dropped).
            var needs = intake.Content == OrderContentKind.Pdf ? 2L * intake.Bytes.Length + intake.Signers.Count * (1L << 20) : intake.Bytes.Length + 64 * 1024;
            if (needs > _options.MaxBytes)
                throw new OrderException(OrderFailure.TooLarge, $"the order needs about {needs >> 20} MiB, more than orders:maxBytes ({_options.MaxBytes >> 20} MiB)");
            if (_store.Bytes + needs > _options.MaxBytes)
                throw new OrderException(OrderFailure.TooManyOrders, $"the terminal's storage for orders is full ({_store.Bytes >> 20} of {_options.MaxBytes >> 20} MiB); ended orders go after orders:keepHours");
            var order = new SigningOrder
            {
                Id = "SO_" + Guid.CreateVersion7().ToString(),
                Caller = intake.Caller,
                Shape = intake.Shape,
                OrderNumber = intake.OrderNumber,
                Subject = intake.Subject,
                FileName = intake.FileName,
                Content = intake.Content,
                Algorithm = intake.Algorithm,
                Signers = signers,
                CreatedAt = now,
                ExpiresAt = now + validFor,
                CallbackUrl = intake.CallbackUrl,
                CallbackPin = intake.CallbackPin,
                ShapeJson = intake.ShapeJson,
                AutoStart = intake.AutoStart && _options.AutoStart,
            };
            view = _store.Add(order, intake.Bytes, now);
        }
        _log.LogInformation("order {Id} ({Shape} {Number}) accepted from {Caller}: {Signers} signer(s), {Bytes} bytes, expires {Expires:O}",
            view.Id, view.Order.Shape, view.Order.OrderNumber, view.Order.Caller, view.Order.Signers.Count, intake.Bytes.Length, view.Order.ExpiresAt);
        Changed?.Invoke(view);
        if (view.Order.AutoStart) TryStart(view.Id, byOperator: false);
        return _store.Find(view.Id)!;
    }

    private static void Check(OrderIntake intake)
    {
        if (string.IsNullOrWhiteSpace(intake.OrderNumber)) throw new OrderException(OrderFailure.OrderNumberEmpty, "orderNumber: empty");
        // Every text is kept in memory with its order, drawn on the screen and written into the evidence: bounded.
        Bounded("orderNumber", intake.OrderNumber, OrderLimits.MaxNumberLength);
        if (intake.OrderNumber.Any(char.IsControl)) throw new OrderException(OrderFailure.BadParameter, "orderNumber: control characters are not allowed");
        Bounded("subject", intake.Subject, OrderLimits.MaxTextLength);
        Bounded("file name", intake.FileName, OrderLimits.MaxTextLength);
        Bounded("callback", intake.CallbackUrl, 2048);
        Bounded("the shape's request", intake.ShapeJson, 64 * 1024);
        if (intake.CallbackPin.Length > 0 && (intake.CallbackPin.Length != 64 || !intake.CallbackPin.All(Uri.IsHexDigit)))
            throw new OrderException(OrderFailure.BadParameter, "callbackPin: expected the receiver certificate's SHA-256 as 64 hex digits");
        if (intake.Signers.Count is 0 or > OrderLimits.MaxSigners)
            throw new OrderException(OrderFailure.SignerCount, $"signers: 1..{OrderLimits.MaxSigners}, found {intake.Signers.Count}");
        if (intake.Bytes.Length == 0) throw new OrderException(OrderFailure.BadParameter, "the document (or data) is empty");
        if (intake.Content != OrderContentKind.Pdf && intake.Bytes.Length > OrderLimits.MaxDataBytes)
            throw new OrderException(OrderFailure.TooLarge, $"data: at most {OrderLimits.MaxDataBytes} bytes, found {intake.Bytes.Length}");
        foreach (var (s, i) in intake.Signers.Select((s, i) => (s, i + 1)))
        {
            Bounded($"signer {i}: name", s.Name, OrderLimits.MaxNameLength);
            Bounded($"signer {i}: number", s.Number, OrderLimits.MaxNumberLength);
            Bounded($"signer {i}: account", s.Account, OrderLimits.MaxNameLength);
            if (s.StampPng is { Length: > 0 } seal && PictureHeader.Problem(seal) is { } problem)
                throw new OrderException(OrderFailure.BadParameter, $"signer {i}: the seal picture (stampbase) {problem}");
            if (s.Kind == SignerKind.Person && string.IsNullOrWhiteSpace(s.Name)) throw new OrderException(OrderFailure.PersonNameEmpty, $"signer {i}: the person's name is empty");
            if (s.Kind == SignerKind.Organisation && string.IsNullOrWhiteSpace(s.Name)) throw new OrderException(OrderFailure.OrganisationNameEmpty, $"signer {i}: the organisation's name is empty");
            if (s.Kind == SignerKind.Organisation && string.IsNullOrWhiteSpace(s.Number)) throw new OrderException(OrderFailure.OrganisationNumberEmpty, $"signer {i}: the registration number is empty");
            if (s.VerifyIdCard && string.IsNullOrWhiteSpace(s.Number)) throw new OrderException(OrderFailure.PersonNumberEmpty, $"signer {i}: the ID check needs the person's ID number");
            if (s.VerifyIdCard && s.Kind != SignerKind.Person) throw new OrderException(OrderFailure.BadParameter, $"signer {i}: only a person proves identity with an ID card");
            if (intake.Content == OrderContentKind.Pdf && s.Placements.Count is 0 or > OrderLimits.MaxPlacements)
                throw new OrderException(OrderFailure.BadParameter, $"signer {i}: 1..{OrderLimits.MaxPlacements} placements, found {s.Placements.Count}");
        }
        if (intake.CallbackUrl.Length > 0 && !Uri.TryCreate(intake.CallbackUrl, UriKind.Absolute, out var url) | url is not { Scheme: "https" or "http" })
            throw new OrderException(OrderFailure.BadParameter, $"callback: \"{intake.CallbackUrl}\" is not an http(s) URL");
    }

    private static void Bounded(string what, string text, int max)
    {
        if (text.Length > max) throw new OrderException(OrderFailure.BadParameter, $"{what}: at most {max} characters, found {text.Length}");
    }

    private List<OrderSigner> ResolvePlacements(OrderIntake intake)
    {
        using var layout = _layouts.Open(intake.Bytes);
        return [.. intake.Signers.Select(s => ToSigner(s, [.. s.Placements.SelectMany(p => OrderPlacements.Resolve(p, layout)).Take(OrderLimits.MaxPlacements)]))];
    }

    private static OrderSigner ToSigner(SignerIntake s, IReadOnlyList<OrderPlacement> placements) => new()
    {
        Kind = s.Kind, Name = s.Name.Trim(), Number = s.Number.Trim(), Account = s.Account, Placements = placements,
        VerifyIdCard = s.VerifyIdCard, Fingerprint = s.Fingerprint, StampPng = s.StampPng is { Length: > 0 } ? s.StampPng : null,
    };

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

    public void Dispose() => _sweep.Dispose();
}
