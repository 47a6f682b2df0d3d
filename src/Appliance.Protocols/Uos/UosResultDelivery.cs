using Appliance.Core.Journal;
using Appliance.Core.Session;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Uos;

/// <summary>
/// Sends journaled UOS results to their PC exactly once: live when the result is journaled, and again to a
/// <c>/1</c> connection of that PC when it (re)connects while the result is still pending. A result counts as
/// delivered — durably, in the journal — when one send of it succeeded; until then it stays pending.
/// </summary>
public sealed class UosResultDelivery : IResultDelivery, IDisposable
{
    public const string Origin = "uos";

    private readonly ResultsJournal _journal;
    private readonly UosConnectionRegistry _connections;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly HashSet<long> _inFlight = [];

    public UosResultDelivery(ResultsJournal journal, UosConnectionRegistry connections, ILogger<UosResultDelivery> log)
    {
        _journal = journal;
        _connections = connections;
        _log = log;
        _journal.Appended += OnAppended;
        _connections.Connected += OnConnected;
    }

    /// <summary>Terminal shutdown: flushes and closes every UOS connection.</summary>
    public Task CloseAsync(TimeSpan flush) => _connections.CloseAllAsync(flush);

    private void OnAppended(JournalEntry entry)
    {
        if (entry.Requester.Origin == Origin) Deliver(entry, only: null);
    }

    private void OnConnected(UosConnection connection)
    {
        if (connection.Kind != UosClientKind.PcPage) return;
        foreach (var entry in _journal.Undelivered(Origin, connection.Peer))
            Deliver(entry, only: connection);
    }

    /// <param name="entry">As listed (possibly a moment ago): it is read again once this send owns the sequence.</param>
    internal void Deliver(JournalEntry entry, UosConnection? only)
    {
        lock (_gate)
        {
            if (!_inFlight.Add(entry.Sequence)) return; // another send of it is under way
        }
        // A live send may have completed (delivered, released) between the listing and here; the journal has the truth.
        if (_journal.Find(entry.Sequence) is not { Delivered: false })
        {
            Release(entry.Sequence);
            return;
        }
        var targets = only is null ? _connections.RecipientsFor(entry.Requester) : [only];
        var record = targets.Count == 0 ? null : _journal.Read(entry);
        if (record is null)
        {
            Release(entry.Sequence);
            return;
        }
        var message = UosResultMessages.Encode(record);
        var outstanding = targets.Count;
        var delivered = 0;
        void Report(bool sent)
        {
            if (sent && Interlocked.Exchange(ref delivered, 1) == 0)
            {
                try
                {
                    _journal.MarkDelivered(entry.Sequence);
                }
                catch (IOException e)
                {
                    _log.LogError(e, "could not mark result #{Sequence} delivered; it may be sent again", entry.Sequence);
                }
            }
            if (Interlocked.Decrement(ref outstanding) != 0) return;
            Release(entry.Sequence);
            if (Volatile.Read(ref delivered) == 0 && _connections.RecipientsFor(entry.Requester).Any(c => c.Kind == UosClientKind.PcPage && !targets.Contains(c)))
            {
                // Every target closed before the send; a page of that PC that connected meanwhile takes it now.
                var current = _journal.Find(entry.Sequence);
                if (current is { Delivered: false }) Deliver(current, only: null);
            }
        }
        foreach (var target in targets)
            if (!target.TrySend(message, Report)) Report(false);
    }

    private void Release(long sequence)
    {
        lock (_gate) _inFlight.Remove(sequence);
    }

    public void Dispose()
    {
        _journal.Appended -= OnAppended;
        _connections.Connected -= OnConnected;
    }
}
