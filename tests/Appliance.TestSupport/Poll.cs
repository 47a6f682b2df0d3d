namespace Appliance.TestSupport;

/// <summary>Waiting for something another thread or process does, without asserting how fast: generous, then a clear failure.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <exception cref="TimeoutException"><paramref name="condition"/> did not hold within the timeout.</exception>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > limit) throw new TimeoutException($"waited {limit.TotalSeconds:0} s for {what}");
            await Task.Delay(20);
        }
    }
}
