using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService;

/// <summary>
/// Runs a device read that needs the person (finger, card) as a <see cref="TerminalSession"/> task: busy (9) while
/// another window is up, the prompt on screen, the outcome journaled, then answered from the journal. Device failures
/// arrive as <see cref="CaptureException"/> (the adapters translate the drivers' errors) and answer through
/// <see cref="ErrorCodes.For"/>.
/// </summary>
internal static class DeviceTasks
{
    /// <summary>
    /// This answer marks <paramref name="journaled"/> delivered once it was written to the PC — not before, so a PC whose
    /// connection dropped on the way fetches (or is given) the result again.
    /// </summary>
    public static CameraServiceAnswer Delivers(this CameraServiceAnswer answer, ResultsJournal journal, JournalEntry journaled) =>
        answer.WhenWritten(() => journal.MarkDelivered(journaled.Sequence));

    /// <summary>The journaled outcome of a device task that completed; the answer built from it should be <see cref="Delivers"/>.</summary>
    public readonly record struct Outcome(ResultRecord Record, JournalEntry Journaled);

    public static async Task<Outcome> RunAsync(TerminalSession session, ResultsJournal journal, TaskKind kind, CameraServiceRequest request,
        TimeSpan timeout, ScreenPrompt prompt, Func<CancellationToken, Task<TaskProduct>> work, CancellationToken ct)
    {
        var attempt = session.TryStart(kind, Sign.SignGroup.Requester(request), timeout, prompt, work);
        if (attempt.Started is not { } task)
            throw new CameraServiceException(ErrorCodes.For(CaptureFailure.Busy), $"终端正忙 / another task is on screen: {attempt.BusyWith!.Kind} ({attempt.BusyWith.Requester.Origin})");
        JournalEntry entry;
        try
        {
            entry = await task.Finished.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            task.Abort("调用方已断开 / the caller went away");
            throw;
        }
        var record = journal.Read(entry) ?? throw new CameraServiceException(ErrorCode.DeviceFailed, "结果无法读取 / the journaled result could not be read");
        void Delivered() => journal.MarkDelivered(entry.Sequence);
        if (record.FailureKind is not { } failure) return new Outcome(record, entry);
        throw new CameraServiceException(ErrorCodes.For(failure), Default(record.Message, failure switch
        {
            CaptureFailure.TimedOut => "超时 / timed out",
            CaptureFailure.Cancelled => "已取消 / cancelled",
            _ => "设备故障 / device failed",
        })) { Written = Delivered };
    }

    /// <summary>A device call outside a session task, its failure answered with <paramref name="what"/> in front of the device's reason.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (CaptureException e)
        {
            throw Answer(e, what);
        }
    }

    /// <inheritdoc cref="CallAsync{T}(Func{Task{T}}, string)"/>
    public static async Task CallAsync(Func<Task> call, string what)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (CaptureException e)
        {
            throw Answer(e, what);
        }
    }

    /// <summary>The wire answer for a device failure: its code from <see cref="ErrorCodes.For"/>, <paramref name="what"/> in front of the reason (none: the reason alone).</summary>
    public static CameraServiceException Answer(CaptureException e, string? what = null) =>
        new(ErrorCodes.For(e.Failure), what is null ? e.Message : $"{what}: {e.Message}");

    private static string Default(string message, string fallback) => string.IsNullOrEmpty(message) ? fallback : message;
}
