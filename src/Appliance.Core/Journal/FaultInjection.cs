namespace Appliance.Core.Journal;

/// <summary>
/// Deliberate faults for crash tests, read once at start-up from the environment variable <c>APPLIANCE_FAULT</c>.
/// <c>kill-after-journal</c>: the process kills itself (SIGKILL, no clean-up) right after the first result is
/// durably journaled and before anyone is told. Never set on a terminal; the unit file does not pass it.
/// </summary>
public sealed class FaultInjection
{
    public const string Variable = "APPLIANCE_FAULT";

    public static FaultInjection None { get; } = new(null);

    public FaultInjection(string? spec) => KillAfterJournal = spec == "kill-after-journal";

    public static FaultInjection FromEnvironment() => new(Environment.GetEnvironmentVariable(Variable));

    public bool KillAfterJournal { get; }

    internal void AfterJournalWrite()
    {
        if (KillAfterJournal)
            System.Diagnostics.Process.GetCurrentProcess().Kill();
    }
}
