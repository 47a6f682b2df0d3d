namespace Appliance.Core.Session;

/// <summary>What a task's work produced: a result (fields and images) or the person's "no".</summary>
public sealed record TaskProduct(bool Confirmed, IReadOnlyList<KeyValuePair<string, string>> Fields, IReadOnlyList<KeyValuePair<string, byte[]>> Images)
{
    public static TaskProduct CancelledByPerson { get; } = new(false, [], []);

    public static TaskProduct Result(IReadOnlyList<KeyValuePair<string, byte[]>> images, IReadOnlyList<KeyValuePair<string, string>>? fields = null) =>
        new(true, fields ?? [], images);
}

/// <summary>The outcome of trying to put a task on screen.</summary>
public readonly record struct StartAttempt(TerminalTask? Started, TerminalTask? BusyWith)
{
    public bool IsStarted => Started is not null;
}
