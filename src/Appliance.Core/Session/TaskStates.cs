namespace Appliance.Core.Session;

/// <summary>The interactive (and quick) jobs the terminal does for a PC.</summary>
public enum TaskKind
{
    Sign,
    Fingerprint,
    IdCard,
    Photo,
    SignFingerMix,
    /// <summary>The §9.8 evaluation window: the person taps how satisfied they were.</summary>
    Evaluation,
    /// <summary>§9.6 <c>show_sign_pdf</c>: a PDF on screen, signed where the person signs, sealed with the device key.</summary>
    SignPdf,
    /// <summary>Issue 19: one signer of a signing order at the counter (identity, signature, the document signed).</summary>
    SignOrder,
}

public enum TaskState
{
    /// <summary>Accepted, window not open yet.</summary>
    Pending,
    /// <summary>On screen, waiting for the person or the device.</summary>
    Active,
    /// <summary>Finished with a result.</summary>
    Completed,
    /// <summary>The person pressed return/cancel on the terminal.</summary>
    CancelledByPerson,
    /// <summary>Nobody acted within the task's timeout.</summary>
    TimedOut,
    /// <summary>Stopped from outside: the PC closed it, or the terminal is shutting down.</summary>
    Aborted,
    /// <summary>The device failed or was absent.</summary>
    Failed,
}

public enum TaskTrigger
{
    Open,
    Complete,
    PersonCancel,
    Timeout,
    Abort,
    Fault,
}

/// <summary>
/// Every legal move of a task, as a table (RAUC/Mender style): anything not listed is a bug and throws.
/// Once a task is final, later triggers (a timeout racing a completion) are ignored, so the first one wins.
/// </summary>
public static class TaskTransitions
{
    private static readonly Dictionary<(TaskState From, TaskTrigger On), TaskState> Table = new()
    {
        [(TaskState.Pending, TaskTrigger.Open)] = TaskState.Active,
        [(TaskState.Pending, TaskTrigger.Abort)] = TaskState.Aborted,
        [(TaskState.Pending, TaskTrigger.Fault)] = TaskState.Failed,
        [(TaskState.Active, TaskTrigger.Complete)] = TaskState.Completed,
        [(TaskState.Active, TaskTrigger.PersonCancel)] = TaskState.CancelledByPerson,
        [(TaskState.Active, TaskTrigger.Timeout)] = TaskState.TimedOut,
        [(TaskState.Active, TaskTrigger.Abort)] = TaskState.Aborted,
        [(TaskState.Active, TaskTrigger.Fault)] = TaskState.Failed,
    };

    public static IReadOnlyDictionary<(TaskState From, TaskTrigger On), TaskState> All => Table;

    public static bool IsFinal(this TaskState state) => state is not (TaskState.Pending or TaskState.Active);

    /// <summary>The next state, or null when <paramref name="from"/> is final (the trigger came too late).</summary>
    public static TaskState? Next(TaskState from, TaskTrigger on)
    {
        if (Table.TryGetValue((from, on), out var next)) return next;
        if (from.IsFinal()) return null;
        throw new InvalidOperationException($"task state machine: no transition from {from} on {on}");
    }
}
