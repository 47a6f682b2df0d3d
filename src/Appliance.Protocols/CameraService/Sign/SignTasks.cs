using Appliance.Core.Journal;
using Appliance.Core.Session;

namespace Appliance.Protocols.CameraService.Sign;

/// <summary>
/// The signature and evaluation tasks started over CameraService, by <c>task_id</c>, so <c>sign=get</c> and
/// <c>sign=status</c> can answer for "the current one" or a named one. A task counts as done only once its
/// outcome is journaled (<see cref="TerminalTask.Finished"/>). The journal is the memory that survives a restart:
/// on start the lookup is rebuilt from it, and an id older than the tasks kept here is looked up there.
/// </summary>
public sealed class SignTasks
{
    public const string Origin = "cameraservice";
    private const int Remembered = 32;

    private readonly ResultsJournal _journal;
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _entries = new();
    private Entry? _currentSign;
    private Entry? _currentEvaluation;

    public SignTasks(ResultsJournal journal)
    {
        _journal = journal;
        // After a restart the newest result a PC has not fetched yet is "the current one" again, so a page that
        // polls sign=get / getevaluatorresult without a task_id gets it; fetched ones stay reachable by id.
        foreach (var journaled in journal.Entries.Where(IsOurs).TakeLast(Remembered))
        {
            var entry = new Entry(journaled);
            _entries.AddFirst(entry);
            if (journaled.Delivered) continue;
            if (journaled.Kind == TaskKind.Evaluation) _currentEvaluation = entry;
            else _currentSign = entry;
        }
    }

    /// <summary>A task of this port: live (<see cref="Task"/> set), or known only from the journal (after a restart).</summary>
    public sealed class Entry
    {
        private readonly JournalEntry? _restored;

        internal Entry(TerminalTask task, string? remark)
        {
            Task = task;
            TaskId = task.Id;
            Kind = task.Kind;
            Remark = remark;
        }

        internal Entry(JournalEntry restored)
        {
            _restored = restored;
            TaskId = restored.TaskId;
            Kind = restored.Kind;
        }

        public string TaskId { get; }
        public TaskKind Kind { get; }

        /// <summary>The task as this process runs it; null for one restored from the journal.</summary>
        public TerminalTask? Task { get; }

        /// <summary>The remark given at <c>sign=start</c>; null when restored (the journaled record has it).</summary>
        public string? Remark { get; }

        /// <summary>The task while it is still on screen, else null.</summary>
        public TerminalTask? Running => Task is { } t && !t.State.IsFinal() ? t : null;

        /// <summary>The journaled outcome; null while the task is on screen.</summary>
        public JournalEntry? Journaled => Task is null ? _restored : Task.Finished.IsCompletedSuccessfully ? Task.Finished.Result : null;
    }

    public Entry Add(TerminalTask task, string? remark)
    {
        var entry = new Entry(task, remark);
        lock (_gate)
        {
            _entries.AddFirst(entry);
            while (_entries.Count > Remembered) _entries.RemoveLast();
            if (task.Kind == TaskKind.Evaluation) _currentEvaluation = entry;
            else _currentSign = entry;
        }
        return entry;
    }

    /// <summary>By id (any kind; the journal when it is not among the recent ones), or the most recent task of <paramref name="kind"/>.</summary>
    public Entry? Find(string? taskId, TaskKind kind)
    {
        if (string.IsNullOrWhiteSpace(taskId))
            lock (_gate) return kind == TaskKind.Evaluation ? _currentEvaluation : _currentSign;
        var id = taskId.Trim();
        lock (_gate)
            if (_entries.FirstOrDefault(e => string.Equals(e.TaskId, id, StringComparison.OrdinalIgnoreCase)) is { } recent) return recent;
        return _journal.Entries.LastOrDefault(e => IsOurs(e) && string.Equals(e.TaskId, id, StringComparison.OrdinalIgnoreCase)) is { } old
            ? new Entry(old)
            : null;
    }

    /// <summary><c>sign=reset_status</c>: the finished signature is forgotten as "current" (still reachable by id).</summary>
    public void ForgetCurrent(TaskKind kind)
    {
        lock (_gate)
        {
            if (kind == TaskKind.Evaluation) _currentEvaluation = null;
            else _currentSign = null;
        }
    }

    private static bool IsOurs(JournalEntry e) => e.Requester.Origin == Origin && e.Kind is TaskKind.Sign or TaskKind.Evaluation;
}
