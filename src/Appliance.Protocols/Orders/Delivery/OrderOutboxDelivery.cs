using Appliance.Core.Orders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Orders.Delivery;

/// <summary>
/// Keeps the order outbox moving for as long as the terminal runs: delivers what is due, then sleeps until the next
/// message is due, a new one is enqueued, or the service stops. Sleeps are measured on the host's
/// <see cref="TimeProvider"/> and never longer than <see cref="LongestWait"/>, so a clock set forward (NTP after boot)
/// is noticed within that. A failure of the outbox itself (a full disk) is logged and tried again after a pause.
/// </summary>
public sealed class OrderOutboxDelivery : BackgroundService
{
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(5);

    private readonly OrderOutbox _outbox;
    private readonly IOutboxTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private TaskCompletionSource _enqueued = NewSignal();

    public OrderOutboxDelivery(OrderOutbox outbox, IOutboxTransport transport, TimeProvider time, ILogger<OrderOutboxDelivery> log)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        _outbox = outbox;
        _transport = transport;
        _time = time;
        _log = log;
        _outbox.Enqueued += OnEnqueued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                // A fresh signal before looking at the outbox: whatever is enqueued from here on wakes the wait below.
                var enqueued = RenewSignal();
                try
                {
                    await _outbox.DeliverDueAsync(_transport, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    _log.LogError(e, "outbox: delivery failed ({Kind}); trying again in {Pause:0} s", e.GetType().Name, PauseAfterFailure.TotalSeconds);
                    await Task.Delay(PauseAfterFailure, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                await WaitForWorkAsync(enqueued, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is not delivered stays in the outbox for the next start.
        }
    }

    /// <summary>Until the next message is due (at most <see cref="LongestWait"/>), or one is enqueued.</summary>
    private async Task WaitForWorkAsync(Task enqueued, CancellationToken stoppingToken)
    {
        var wait = _outbox.NextDue is { } due ? due - _time.GetUtcNow() : LongestWait;
        if (wait <= TimeSpan.Zero) return;
        if (wait > LongestWait) wait = LongestWait;
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(enqueued, Task.Delay(wait, _time, stopWaiting.Token)).ConfigureAwait(false);
        // Woken by an enqueue: the timer is not left running.
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    private Task RenewSignal()
    {
        var fresh = NewSignal();
        Volatile.Write(ref _enqueued, fresh);
        return fresh.Task;
    }

    private void OnEnqueued() => Volatile.Read(ref _enqueued).TrySetResult();

    // Continuations run elsewhere: Enqueue's caller (an order's end) does not run the delivery loop.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Dispose()
    {
        _outbox.Enqueued -= OnEnqueued;
        base.Dispose();
    }
}
