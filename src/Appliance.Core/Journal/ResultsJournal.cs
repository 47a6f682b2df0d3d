using Appliance.Core.Session;
using Microsoft.Extensions.Logging;

namespace Appliance.Core.Journal;

/// <summary>
/// The results journal under <c>STATE_DIR/journal</c>: every finished result is written durably (temp file, fsync,
/// rename, fsync of the folder) before anyone is told, stays "pending" until a send to its PC succeeded, and is then
/// renamed "delivered" (durably too). A restart reads the folder back, so nothing finished is ever lost.
/// </summary>
public sealed class ResultsJournal : Storage.IRetention
{
    internal const string PendingSuffix = ".pending.json";
    internal const string DeliveredSuffix = ".delivered.json";
    private const string TempSuffix = ".tmp";

    private readonly string _directory;
    private readonly JournalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly FaultInjection _faults;
    private readonly Lock _gate = new();
    private readonly SortedList<long, JournalEntry> _entries = [];
    private long _nextSequence;

    public ResultsJournal(string stateDir, JournalOptions options, TimeProvider time, ILogger<ResultsJournal> log, FaultInjection? faults = null)
    {
        _directory = Path.Combine(stateDir, "journal");
        _options = options;
        _time = time;
        _log = log;
        _faults = faults ?? FaultInjection.None;
        System.IO.Directory.CreateDirectory(_directory);
        Load();
    }

    public string Folder => _directory;

    /// <summary>Raised after a result is durable, on the appending thread. Protocols deliver from here.</summary>
    public event Action<JournalEntry>? Appended;

    public IReadOnlyList<JournalEntry> Entries
    {
        get { lock (_gate) return [.. _entries.Values]; }
    }

    /// <summary>Writes <paramref name="record"/> durably, then announces it.</summary>
    public JournalEntry Append(ResultRecord record)
    {
        var entry = Write(record);
        Announce(entry);
        return entry;
    }

    /// <summary>Raises <see cref="Appended"/> for an entry from <see cref="Write"/>.</summary>
    public void Announce(JournalEntry entry) => Appended?.Invoke(entry);

    /// <summary>Writes <paramref name="record"/> durably without announcing it yet (the caller tidies up first, then calls <see cref="Announce"/>).</summary>
    public JournalEntry Write(ResultRecord record)
    {
        var bytes = ResultFile.Serialize(record);
        JournalEntry entry;
        lock (_gate)
        {
            entry = new JournalEntry(_nextSequence++, record.TaskId, record.Kind, record.State, record.Requester, record.FinishedAt, bytes.Length, Delivered: false);
            WriteDurably(Path.Combine(_directory, entry.FileName(delivered: false)), bytes);
            _entries.Add(entry.Sequence, entry);
            Prune();
        }
        _log.LogInformation("journaled {Kind} task {TaskId} ({State}) for {Origin} {Peer} as #{Sequence}",
            record.Kind, record.TaskId, record.State, record.Requester.Origin, record.Requester.Peer, entry.Sequence);
        _faults.AfterJournalWrite();
        return entry;
    }

    /// <summary>Records that the result reached its PC. Idempotent; false when it was already delivered or pruned.</summary>
    public bool MarkDelivered(long sequence)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(sequence, out var entry) || entry.Delivered) return false;
            File.Move(Path.Combine(_directory, entry.FileName(false)), Path.Combine(_directory, entry.FileName(true)));
            Interop.Libc.FsyncDirectory(_directory);
            _entries[sequence] = entry with { Delivered = true };
            return true;
        }
    }

    /// <summary>Results for one PC that no send has reached yet, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Undelivered(string origin, string peer)
    {
        lock (_gate)
            return [.. _entries.Values.Where(e => !e.Delivered && e.Requester.Origin == origin && e.Requester.Peer == peer)];
    }

    /// <summary>The newest completed result of <paramref name="kind"/> for one PC (for example the last signature).</summary>
    public JournalEntry? LatestCompleted(string origin, string peer, TaskKind kind)
    {
        lock (_gate)
            return _entries.Values.LastOrDefault(e => e.Kind == kind && e.State == TaskState.Completed && e.Requester.Origin == origin && e.Requester.Peer == peer);
    }

    public JournalEntry? Find(long sequence)
    {
        lock (_gate) return _entries.GetValueOrDefault(sequence);
    }

    /// <summary>Reads a result back from disk; null when it was pruned meanwhile.</summary>
    public ResultRecord? Read(JournalEntry entry)
    {
        string path;
        lock (_gate)
        {
            if (!_entries.TryGetValue(entry.Sequence, out var current)) return null;
            path = Path.Combine(_directory, current.FileName(current.Delivered));
        }
        try
        {
            return ResultFile.Deserialize(File.ReadAllBytes(path));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private void Load()
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                // A write the crash interrupted before its rename: it was never announced, so it never counted.
                File.Delete(path);
                continue;
            }
            var delivered = name.EndsWith(DeliveredSuffix, StringComparison.Ordinal);
            if (!delivered && !name.EndsWith(PendingSuffix, StringComparison.Ordinal)) continue;
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !long.TryParse(name.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
                continue;
            try
            {
                var bytes = File.ReadAllBytes(path);
                var r = ResultFile.Deserialize(bytes);
                _entries[sequence] = new JournalEntry(sequence, r.TaskId, r.Kind, r.State, r.Requester, r.FinishedAt, bytes.Length, delivered);
            }
            catch (FormatException e)
            {
                _log.LogError("journal file {Path} is unreadable ({Reason}); moved aside as .corrupt", path, e.Message);
                File.Move(path, path + ".corrupt", overwrite: true);
            }
        }
        _nextSequence = _entries.Count == 0 ? 1 : _entries.Keys[^1] + 1;
        lock (_gate) Prune();
        var pending = _entries.Values.Count(e => !e.Delivered);
        _log.LogInformation("results journal {Directory}: {Count} results, {Pending} not yet delivered", _directory, _entries.Count, pending);
    }

    /// <summary>
    /// Applies retention now (<c>journal:maxAgeHours</c> passes while nothing is written, so a timer calls this too:
    /// see <c>RetentionService</c>). Returns how many results were removed.
    /// </summary>
    public int PruneNow()
    {
        lock (_gate) return Prune();
    }

    string Storage.IRetention.RetentionName => "journal";

    int Storage.IRetention.ApplyRetention() => PruneNow();

    /// <summary>Applies retention: age first (delivered results sooner), then count and bytes, oldest delivered before oldest undelivered.</summary>
    private int Prune()
    {
        var removed = 0;
        var cutoff = _time.GetUtcNow() - TimeSpan.FromHours(_options.MaxAgeHours);
        foreach (var old in _entries.Values.Where(e => e.FinishedAt < cutoff).ToList())
            removed += Remove(old, "older than journal:maxAgeHours");
        var deliveredCutoff = _time.GetUtcNow() - TimeSpan.FromMinutes(_options.DeliveredKeepMinutes);
        foreach (var old in _entries.Values.Where(e => e.Delivered && e.FinishedAt < deliveredCutoff).ToList())
            removed += Remove(old, "delivered, past journal:deliveredKeepMinutes");
        long bytes = _entries.Values.Sum(e => e.Bytes);
        while (_entries.Count > _options.MaxEntries || bytes > _options.MaxBytes)
        {
            var victim = _entries.Values.FirstOrDefault(e => e.Delivered) ?? _entries.Values[0];
            if (_entries.Count == 1 && victim.Sequence == _nextSequence - 1) break; // never drop the result just written
            bytes -= victim.Bytes;
            removed += Remove(victim, victim.Delivered ? "retention" : "retention (undelivered!)");
        }
        if (removed > 0) Interop.Libc.FsyncDirectory(_directory);
        return removed;
    }

    private int Remove(JournalEntry entry, string why)
    {
        if (!entry.Delivered)
            _log.LogWarning("journal drops undelivered result #{Sequence} ({Kind} for {Peer}): {Why}", entry.Sequence, entry.Kind, entry.Requester.Peer, why);
        File.Delete(Path.Combine(_directory, entry.FileName(entry.Delivered)));
        _entries.Remove(entry.Sequence);
        return 1;
    }

    private void WriteDurably(string path, byte[] bytes)
    {
        var temp = path + TempSuffix;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        Interop.Libc.FsyncDirectory(_directory);
    }
}
