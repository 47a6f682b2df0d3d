using Appliance.Core.Capture;
using Appliance.Core.Session;

namespace Appliance.Core.Journal;

/// <summary>
/// Who a result is for. <see cref="Origin"/> is the protocol (<c>uos</c>, <c>camera</c>), <see cref="Peer"/> the PC
/// (its IP address until pairing lands), <see cref="Connection"/> the connection that asked (meaningless after a restart).
/// </summary>
public sealed record TaskRequester(string Origin, string Peer, string Connection);

/// <summary>A finished task as the journal keeps it: what it was, how it ended, and what it produced.</summary>
public sealed record ResultRecord
{
    public required string TaskId { get; init; }
    public required TaskKind Kind { get; init; }
    public required TaskState State { get; init; }
    public required TaskRequester Requester { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    /// <summary>Set when <see cref="State"/> is <see cref="TaskState.Failed"/>.</summary>
    public CaptureFailure? Failure { get; init; }
    /// <summary>
    /// How a result that is not a success went wrong, in the one taxonomy every protocol maps to its codes: timed out,
    /// cancelled (by the person, or closed before it ended), or the recorded failure. Null for a success.
    /// </summary>
    public CaptureFailure? FailureKind => State switch
    {
        TaskState.Completed => null,
        TaskState.TimedOut => CaptureFailure.TimedOut,
        TaskState.CancelledByPerson or TaskState.Aborted => CaptureFailure.Cancelled,
        _ => Failure ?? CaptureFailure.DeviceFailed,
    };

    /// <summary>Human-readable reason for a result that is not a success.</summary>
    public string Message { get; init; } = "";
    /// <summary>Text results (ID card fields), in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];
    /// <summary>Image results (signature PNG, fingerprint PNG, photo JPEG, card images).</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Images { get; init; } = [];

    public byte[]? Image(string name)
    {
        foreach (var (key, value) in Images)
            if (key == name) return value;
        return null;
    }

    public string Field(string name)
    {
        foreach (var (key, value) in Fields)
            if (key == name) return value;
        return "";
    }
}

/// <summary>One journaled result as the index knows it (the images stay on disk until asked for).</summary>
public sealed record JournalEntry(long Sequence, string TaskId, TaskKind Kind, TaskState State, TaskRequester Requester,
    DateTimeOffset FinishedAt, long Bytes, bool Delivered)
{
    internal string FileName(bool delivered) =>
        $"{Sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)}-{TaskId}{(delivered ? ResultsJournal.DeliveredSuffix : ResultsJournal.PendingSuffix)}";
}
