namespace Appliance.TestSupport;

/// <summary>
/// A clock that moves only when a test says so (<see cref="Advance"/>), for rules about elapsed time ("at most one
/// attempt a second") without waiting or racing the machine's speed. Timers still run on real time.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
