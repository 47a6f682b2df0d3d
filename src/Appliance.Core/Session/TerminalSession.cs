using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Screen;
using Microsoft.Extensions.Logging;

namespace Appliance.Core.Session;

/// <summary>
/// The one person at the counter: at most one interactive task on screen at a time (a second is refused as busy,
/// never queued or dropped), each with a timeout and cancel, each outcome journaled before anyone hears of it, and
/// the screen always telling the person what to do.
/// </summary>
public sealed class TerminalSession
{
    private static readonly ScreenPrompt IdlePrompt = new("欢迎使用 / Welcome", "");

    /// <summary>How long a task's outcome ("签名完成 / Signature done", "已超时 / Timed out") stays before the idle screen.</summary>
    public static readonly TimeSpan DefaultOutcomeShownFor = TimeSpan.FromSeconds(3);

    private readonly ResultsJournal _journal;
    private readonly ITerminalScreen? _screen;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TimeSpan _outcomeShownFor;
    private readonly Lock _gate = new();
    private TerminalTask? _current;
    private ITimer? _outcomeTimer;
    private ScreenPrompt _prompt = IdlePrompt;
    private bool _closed;

    /// <param name="outcomeShownFor">How long the outcome of a task shows (<see cref="DefaultOutcomeShownFor"/> when null; zero: straight to idle).</param>
    public TerminalSession(ResultsJournal journal, ITerminalScreen? screen, TimeProvider time, ILogger<TerminalSession> log,
        TimeSpan? outcomeShownFor = null)
    {
        _outcomeShownFor = outcomeShownFor ?? DefaultOutcomeShownFor;
        _journal = journal;
        _screen = screen;
        _time = time;
        _log = log;
    }

    /// <summary>The task on screen, or null when the terminal is idle.</summary>
    public TerminalTask? Current
    {
        get { lock (_gate) return _current; }
    }

    /// <summary>What the screen is telling the person right now (the idle prompt when no task runs).</summary>
    public ScreenPrompt Prompt
    {
        get { lock (_gate) return _prompt; }
    }

    /// <summary>Raised on every state change of a task (on the thread that changed it).</summary>
    public event Action<TerminalTask>? TaskChanged;

    /// <summary>
    /// Puts a task on screen unless another is there. <paramref name="work"/> runs in the background with a token that
    /// fires on timeout or abort; it returns the product, or throws <see cref="CaptureException"/>.
    /// </summary>
    public StartAttempt TryStart(TaskKind kind, TaskRequester requester, TimeSpan timeout, ScreenPrompt prompt,
        Func<CancellationToken, Task<TaskProduct>> work)
    {
        TerminalTask task;
        lock (_gate)
        {
            if (_current is not null) return new StartAttempt(null, _current);
            if (_closed) throw new ObjectDisposedException(nameof(TerminalSession), "the terminal is shutting down");
            task = new TerminalTask(Guid.CreateVersion7().ToString("N"), kind, requester, timeout, prompt);
            _current = task;
        }
        _ = Task.Run(() => RunAsync(task, work));
        return new StartAttempt(task, null);
    }

    /// <summary>
    /// Tells the person what the task on screen is doing now ("正在读卡 / reading the card"), when a task of
    /// <paramref name="kind"/> is on screen; otherwise (it ended meanwhile) nothing happens.
    /// </summary>
    public void UpdatePrompt(TaskKind kind, ScreenPrompt prompt)
    {
        TerminalTask? task;
        lock (_gate)
        {
            task = _current;
            if (task is null || task.Kind != kind || task.State != TaskState.Active) return;
            _prompt = prompt;
        }
        try
        {
            _screen?.ShowPrompt(prompt);
        }
        catch (Exception e)
        {
            _log.LogError(e, "the screen failed to show the prompt of {Task}", task);
        }
        _log.LogInformation("{Task}: {Prompt}", task, prompt.Title);
    }

    /// <summary>Journals a result that needed no interaction (a photo, a merge) and announces it like any other.</summary>
    public JournalEntry Record(TaskKind kind, TaskRequester requester, TaskProduct product) =>
        _journal.Append(new ResultRecord
        {
            TaskId = Guid.CreateVersion7().ToString("N"),
            Kind = kind,
            State = TaskState.Completed,
            Requester = requester,
            FinishedAt = _time.GetUtcNow(),
            Fields = product.Fields,
            Images = product.Images,
        });

    /// <summary>Aborts the task on screen (if any) and waits until its outcome is journaled. Later starts are refused.</summary>
    public async Task ShutdownAsync(string reason, CancellationToken cancel)
    {
        TerminalTask? task;
        lock (_gate)
        {
            _closed = true;
            task = _current;
        }
        if (task is not null)
        {
            _log.LogInformation("shutting down: aborting {Task}", task);
            task.Abort(reason);
            await task.Finished.WaitAsync(cancel).ConfigureAwait(false);
        }
        lock (_gate)
        {
            _outcomeTimer?.Dispose();
            _outcomeTimer = null;
        }
    }

    private async Task RunAsync(TerminalTask task, Func<CancellationToken, Task<TaskProduct>> work)
    {
        using var timeout = new CancellationTokenSource(task.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, task.AbortToken);
        TaskProduct? product = null;
        TaskTrigger trigger;
        CaptureFailure? failure = null;
        var message = "";
        Change(task, TaskTrigger.Open, task.Prompt);
        try
        {
            product = await work(linked.Token).ConfigureAwait(false);
            trigger = product.Confirmed ? TaskTrigger.Complete : TaskTrigger.PersonCancel;
        }
        catch (OperationCanceledException) when (task.AbortToken.IsCancellationRequested)
        {
            (trigger, message) = (TaskTrigger.Abort, task.AbortReason);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            (trigger, message) = (TaskTrigger.Timeout, $"{task.Timeout.TotalSeconds:0} 秒内无操作 / nothing happened within {task.Timeout.TotalSeconds:0} s");
        }
        catch (CaptureException e) when (e.Failure == CaptureFailure.TimedOut)
        {
            (trigger, message) = (TaskTrigger.Timeout, e.Message);
        }
        catch (CaptureException e)
        {
            (trigger, failure, message) = (TaskTrigger.Fault, e.Failure, e.Message);
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Task} failed", task);
            (trigger, failure, message) = (TaskTrigger.Fault, CaptureFailure.DeviceFailed, CaptureException.InternalErrorMessage);
        }
        Change(task, trigger, prompt: null, failure, message);

        JournalEntry? entry = null;
        Exception? journalError = null;
        try
        {
            entry = _journal.Write(new ResultRecord
            {
                TaskId = task.Id,
                Kind = task.Kind,
                State = task.State,
                Requester = task.Requester,
                FinishedAt = _time.GetUtcNow(),
                Failure = failure,
                Message = message,
                Fields = task.State == TaskState.Completed ? product!.Fields : [],
                Images = task.State == TaskState.Completed ? product!.Images : [],
            });
        }
        catch (Exception e)
        {
            _log.LogCritical(e, "could not journal the outcome of {Task}", task);
            journalError = e;
        }
        // The screen is free before anyone hears the task ended, so "it finished" always means "you may start the next".
        lock (_gate)
        {
            if (_current == task) _current = null;
        }
        if (entry is null)
        {
            task.FinishFaulted(journalError!);
            return;
        }
        _journal.Announce(entry);
        task.Finish(entry);
    }

    private void Change(TerminalTask task, TaskTrigger trigger, ScreenPrompt? prompt, CaptureFailure? failure = null, string message = "")
    {
        if (!task.Fire(trigger)) return;
        lock (_gate)
        {
            _prompt = prompt ?? IdlePrompt;
            _outcomeTimer?.Dispose();
            _outcomeTimer = null;
        }
        try
        {
            if (prompt is null) ShowOutcome(task, failure, message);
            else if (task.Kind is not (TaskKind.Sign or TaskKind.Evaluation or TaskKind.SignPdf or TaskKind.SignOrder)) _screen?.ShowPrompt(prompt);
            else _screen?.ShowIdle(); // these windows are their own prompt: the last task's outcome goes
        }
        catch (Exception e)
        {
            _log.LogError(e, "the screen failed to show the prompt of {Task}", task);
        }
        _log.LogInformation("{Task} on {Trigger}", task, trigger);
        TaskChanged?.Invoke(task);
    }

    /// <summary>The outcome in words for <see cref="_outcomeShownFor"/>, then the idle screen unless a task came meanwhile.</summary>
    private void ShowOutcome(TerminalTask task, CaptureFailure? failure, string message)
    {
        if (_screen is null) return;
        if (_outcomeShownFor <= TimeSpan.Zero)
        {
            _screen.ShowIdle();
            return;
        }
        _screen.ShowPrompt(TaskWords.Outcome(task.Kind, task.State, failure, message));
        lock (_gate)
            _outcomeTimer = _time.CreateTimer(_ => ShowIdleUnlessBusy(task), null, _outcomeShownFor, Timeout.InfiniteTimeSpan);
    }

    private void ShowIdleUnlessBusy(TerminalTask ended)
    {
        lock (_gate)
        {
            // A task opened since (or is being finished) owns the screen now.
            if (_current is not null && _current != ended) return;
            _outcomeTimer?.Dispose();
            _outcomeTimer = null;
        }
        try
        {
            _screen?.ShowIdle();
        }
        catch (Exception e)
        {
            _log.LogError(e, "the screen failed to show the idle screen");
        }
    }
}
