using Appliance.Core.Journal;
using Appliance.Core.Session;

namespace Appliance.Protocols.CameraService.Sign;

/// <summary>
/// The signature and evaluation tasks started over CameraService, by <c>task_id</c>, so <c>sign=get</c> and
/// <c>sign=status</c> can answer for "the current one" or a named one. A task counts as done only once its
/// outcome is journaled (<see cref="TerminalTask.Finished"/>).
/// </summary>
public sealed class SignTasks
{
    public const string Origin = "cameraservice";
    private const int Remembered = 32;

    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _entries = new();
    private Entry? _currentSign;
    private Entry? _currentEvaluation;

    public sealed class Entry(TerminalTask task, string? remark)
    {
        public TerminalTask Task { get; } = task;
        public string? Remark { get; } = remark;

        /// <summary>The journaled outcome; null while the task is on screen.</summary>
        public JournalEntry? Journaled => Task.Finished.IsCompletedSuccessfully ? Task.Finished.Result : null;
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

    /// <summary>By id (any kind), or the most recent task of <paramref name="kind"/>.</summary>
    public Entry? Find(string? taskId, TaskKind kind)
    {
        lock (_gate)
        {
            if (string.IsNullOrWhiteSpace(taskId)) return kind == TaskKind.Evaluation ? _currentEvaluation : _currentSign;
            return _entries.FirstOrDefault(e => string.Equals(e.Task.Id, taskId.Trim(), StringComparison.OrdinalIgnoreCase));
        }
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
}
