using Appliance.Core.Capture;
using Appliance.Core.Journal;

namespace Appliance.Core.Session;

/// <summary>
/// One job on the terminal's screen: an id, a state that only moves along <see cref="TaskTransitions"/>, a timeout
/// and cancel. <see cref="Finished"/> completes once the outcome is durably journaled.
/// </summary>
public sealed class TerminalTask
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<JournalEntry> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _abortReason = "";

    internal TerminalTask(string id, TaskKind kind, TaskRequester requester, TimeSpan timeout, ScreenPrompt prompt)
    {
        Id = id;
        Kind = kind;
        Requester = requester;
        Timeout = timeout;
        Prompt = prompt;
    }

    public string Id { get; }
    public TaskKind Kind { get; }
    public TaskRequester Requester { get; }
    public TimeSpan Timeout { get; }

    /// <summary>What the screen tells the person while this task is active.</summary>
    public ScreenPrompt Prompt { get; }

    public TaskState State { get; private set; } = TaskState.Pending;

    /// <summary>The journaled outcome; faults only if the journal itself could not be written.</summary>
    public Task<JournalEntry> Finished => _finished.Task;

    internal CancellationToken AbortToken => _abort.Token;
    internal string AbortReason { get { lock (_gate) return _abortReason; } }

    /// <summary>Stops the task from outside (the PC closed it, shutdown). Its outcome is still journaled, as Aborted.</summary>
    public void Abort(string reason)
    {
        lock (_gate)
        {
            if (State.IsFinal() || _abort.IsCancellationRequested) return;
            _abortReason = reason;
        }
        _abort.Cancel();
    }

    /// <summary>Moves along the transition table; false when the task was already final (a late trigger).</summary>
    internal bool Fire(TaskTrigger trigger)
    {
        lock (_gate)
        {
            var next = TaskTransitions.Next(State, trigger);
            if (next is null) return false;
            State = next.Value;
            return true;
        }
    }

    internal void Finish(JournalEntry entry) => _finished.TrySetResult(entry);
    internal void FinishFaulted(Exception e) => _finished.TrySetException(e);

    public override string ToString() => $"{Kind} task {Id} ({State})";
}
