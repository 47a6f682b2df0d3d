namespace Appliance.Devices.MagStripe;

/// <summary>
/// Hands swipes from a reader's receive loop to whoever waits (<see cref="IMagStripeReader.ReadSwipeAsync"/>), or keeps
/// the last one for <see cref="IMagStripeReader.TakeLastSwipe"/> when nobody waits. Shared by the stripe drivers.
/// </summary>
internal sealed class SwipeMailbox
{
    private readonly Lock _gate = new();
    private MagStripeSwipe? _last;
    private TaskCompletionSource<MagStripeSwipe>? _waiter;

    public MagStripeSwipe? TakeLast()
    {
        lock (_gate)
        {
            var swipe = _last;
            _last = null;
            return swipe;
        }
    }

    /// <summary>The kept swipe at once, else the next one within <paramref name="timeout"/>.</summary>
    public async Task<MagStripeSwipe> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<MagStripeSwipe> waiter;
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
            throw new MagStripeException(DeviceErrorKind.NothingPresented, "请刷卡 / no card was swiped in time");
        }
    }

    /// <summary>A good swipe: to the waiters, else kept (replacing an older one).</summary>
    public void Deliver(MagStripeSwipe swipe)
    {
        TaskCompletionSource<MagStripeSwipe>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null) _last = swipe;
        }
        waiter?.TrySetResult(swipe);
    }

    /// <summary>
    /// A swipe that could not be read: the waiters are told (so the person can be asked to swipe again), and an older
    /// kept swipe is forgotten, since the person has moved on to another card or another try.
    /// </summary>
    public void Reject(MagStripeException error)
    {
        TaskCompletionSource<MagStripeSwipe>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _last = null;
        }
        waiter?.TrySetException(error);
    }

    /// <summary>The reader went away: the waiters fail; a kept swipe stays (it was read whole).</summary>
    public void FailWaiters(MagStripeException error)
    {
        TaskCompletionSource<MagStripeSwipe>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetException(error);
    }
}
