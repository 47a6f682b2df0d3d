namespace Appliance.Devices;

/// <summary>
/// Hands what a device's receive loop reads (a swipe, a scanned code) to whoever waits for it, or keeps the latest
/// one until it is taken when nobody waits: the "last value, cleared once read" of the seed's peripherals.
/// Shared by the magnetic-stripe readers and the barcode scanner.
/// </summary>
internal class LatestValueMailbox<T>(Func<Exception> timedOut) where T : class
{
    private readonly Lock _gate = new();
    private T? _last;
    private TaskCompletionSource<T>? _waiter;

    /// <summary>The kept value, now forgotten; null when there is none.</summary>
    public T? TakeLast()
    {
        lock (_gate)
        {
            var value = _last;
            _last = null;
            return value;
        }
    }

    /// <summary>The kept value at once, else the next one within <paramref name="timeout"/> (then the timed-out error).</summary>
    public async Task<T> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<T> waiter;
        lock (_gate)
        {
            if (_last is { } ready)
            {
                _last = null;
                return ready;
            }
            waiter = _waiter ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw timedOut();
        }
    }

    /// <summary>A good value: to the waiters, else kept (replacing an older one).</summary>
    public void Deliver(T value)
    {
        TaskCompletionSource<T>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null) _last = value;
        }
        waiter?.TrySetResult(value);
    }

    /// <summary>The waiters fail with <paramref name="error"/>; with <paramref name="forgetLast"/> a kept value goes too.</summary>
    public void Fail(Exception error, bool forgetLast)
    {
        TaskCompletionSource<T>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            if (forgetLast) _last = null;
        }
        waiter?.TrySetException(error);
    }

    /// <summary>Forgets a kept value (the device was opened afresh or closed).</summary>
    public void Clear()
    {
        lock (_gate) _last = null;
    }
}
