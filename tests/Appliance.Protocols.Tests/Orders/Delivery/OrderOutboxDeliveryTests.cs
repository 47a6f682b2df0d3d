using Appliance.Core.Orders;
using Appliance.Protocols.Orders.Delivery;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Appliance.Protocols.Tests.Orders.Delivery;

/// <summary>
/// The outbox, the https transport and the delivery loop together, against a loopback receiver: a result reaches a
/// receiver that refuses at first, always as the same bytes under the same key, with doubling pauses, across restarts,
/// and once.
/// </summary>
public sealed class OrderOutboxDeliveryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Result(int seed, int length = 256 * 1024)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }

    private static OrderOutbox Outbox(string stateDir, TimeProvider clock, double retryInitialSeconds = 5) =>
        new(stateDir, new OutboxOptions { RetryInitialSeconds = retryInitialSeconds }, clock, NullLogger<OrderOutbox>.Instance);

    private static CallbackTransport Transport() => new(new OrderOptions(), NullLogger<CallbackTransport>.Instance);

    private static OrderOutboxDelivery Delivery(OrderOutbox outbox, IOutboxTransport transport, TimeProvider clock) =>
        new(outbox, transport, clock, NullLogger<OrderOutboxDelivery>.Instance);

    [Fact]
    public async Task A_receiver_that_refuses_three_times_gets_the_fourth_push_with_the_same_key_and_bytes()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(LoopbackHttpsReceiver.RefusingFirst(3, ReceiverAnswer.Zero));
        using var state = new TempDir();
        var outbox = Outbox(state.Path, TimeProvider.System, retryInitialSeconds: 0.05);
        using var transport = Transport();
        using var delivery = Delivery(outbox, transport, TimeProvider.System);
        await delivery.StartAsync(Ct);
        try
        {
            var body = Result(1);
            var message = outbox.Enqueue("order-1", receiver.Url.ToString(), "N-1:" + new string('b', 64), body, PushAcceptance.BodyIsOne, receiver.Pin);

            await Poll.UntilAsync(() => outbox.Messages.Single().DeliveredAt is not null, "the push to be delivered");

            Assert.Equal(4, receiver.Requests.Count);
            Assert.All(receiver.Requests, r => Assert.Equal(message.IdempotencyKey, r.Header("Idempotency-Key")));
            Assert.All(receiver.Requests, r => Assert.Equal(body, r.Body));
            var delivered = outbox.Messages.Single();
            Assert.Equal(4, delivered.Attempts);
            Assert.Equal("", delivered.LastError);
        }
        finally
        {
            await delivery.StopAsync(CancellationToken.None);
        }
        Assert.True(delivery.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Each_refusal_doubles_the_pause_before_the_next_push()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(LoopbackHttpsReceiver.RefusingFirst(3, ReceiverAnswer.Unavailable));
        using var state = new TempDir();
        var clock = new ManualClock(Start);
        var outbox = Outbox(state.Path, clock, retryInitialSeconds: 5);
        using var transport = Transport();
        outbox.Enqueue("order-2", receiver.Url.ToString(), "N-2:" + new string('c', 64), Result(2), PushAcceptance.BodyIsOne, receiver.Pin);

        var pauses = new List<TimeSpan>();
        for (var refusal = 1; refusal <= 3; refusal++)
        {
            Assert.Equal(0, await outbox.DeliverDueAsync(transport, Ct));
            var waiting = outbox.Messages.Single();
            Assert.Equal("HTTP 503", waiting.LastError);
            pauses.Add(waiting.NextAttemptAt - clock.GetUtcNow());

            // Not due a second early.
            clock.Advance(pauses[^1] - TimeSpan.FromSeconds(1));
            Assert.Equal(0, await outbox.DeliverDueAsync(transport, Ct));
            Assert.Equal(refusal, receiver.Requests.Count);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, await outbox.DeliverDueAsync(transport, Ct));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], pauses);
        Assert.Equal(4, receiver.Requests.Count);
        Assert.Equal(clock.GetUtcNow(), outbox.Messages.Single().DeliveredAt);
    }

    [Fact]
    public async Task After_a_restart_the_pending_push_is_delivered_and_the_delivered_one_is_not_sent_again()
    {
        // The first push is taken, the second refused; then the terminal restarts.
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(n => n == 0 ? ReceiverAnswer.One : ReceiverAnswer.Zero);
        using var state = new TempDir();
        var clock = new FakeTimeProvider(Start);
        var firstKey = "N-3:" + new string('d', 64);
        var secondKey = "N-4:" + new string('e', 64);
        var secondBody = Result(4);
        using (var transport = Transport())
        {
            var before = Outbox(state.Path, clock);
            before.Enqueue("order-3", receiver.Url.ToString(), firstKey, Result(3), PushAcceptance.BodyIsOne, receiver.Pin);
            before.Enqueue("order-4", receiver.Url.ToString(), secondKey, secondBody, PushAcceptance.BodyIsOne, receiver.Pin);
            Assert.Equal(1, await before.DeliverDueAsync(transport, Ct));
        }
        receiver.Script = _ => ReceiverAnswer.One;

        var after = Outbox(state.Path, clock);
        Assert.Equal([true, false], after.Messages.Select(m => m.DeliveredAt is not null));
        // Enqueuing the delivered result again (an order's end replayed) finds it, delivered: no new push.
        Assert.NotNull(after.Enqueue("order-3", receiver.Url.ToString(), firstKey, Result(3), PushAcceptance.BodyIsOne, receiver.Pin).DeliveredAt);
        using (var transport = Transport())
        using (var delivery = Delivery(after, transport, clock))
        {
            await delivery.StartAsync(Ct);
            try
            {
                // The clock is stepped past the retry pause while waiting, whenever the loop looks at it.
                await Poll.UntilAsync(() =>
                {
                    clock.Advance(TimeSpan.FromMinutes(1));
                    return after.Messages.All(m => m.DeliveredAt is not null);
                }, "the pending push after the restart");
            }
            finally
            {
                await delivery.StopAsync(CancellationToken.None);
            }
        }

        Assert.Equal(1, receiver.Requests.Count(r => r.Header("Idempotency-Key") == firstKey));
        var second = receiver.Requests.Where(r => r.Header("Idempotency-Key") == secondKey).ToList();
        Assert.Equal(2, second.Count);
        Assert.All(second, r => Assert.Equal(secondBody, r.Body));

        // Once more: everything there is delivered, nothing goes out.
        using (var transport = Transport())
            Assert.Equal(0, await Outbox(state.Path, clock).DeliverDueAsync(transport, Ct));
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task Enqueuing_one_result_twice_is_one_message_and_one_push()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var state = new TempDir();
        var outbox = Outbox(state.Path, TimeProvider.System);
        using var transport = Transport();
        var key = "N-5:" + new string('f', 64);

        var first = outbox.Enqueue("order-5", receiver.Url.ToString(), key, Result(5), PushAcceptance.BodyIsOne, receiver.Pin);
        var again = outbox.Enqueue("order-5", receiver.Url.ToString(), key, Result(5), PushAcceptance.BodyIsOne, receiver.Pin);

        Assert.Equal(first, again);
        Assert.Equal(1, await outbox.DeliverDueAsync(transport, Ct));
        Assert.Equal(0, await outbox.DeliverDueAsync(transport, Ct));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task The_loop_wakes_for_a_new_message_without_the_clock_moving()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var state = new TempDir();
        var clock = new FakeTimeProvider(Start); // never advanced: only the Enqueued signal can wake the loop
        var outbox = Outbox(state.Path, clock);
        using var transport = Transport();
        using var delivery = Delivery(outbox, transport, clock);
        await delivery.StartAsync(Ct);
        try
        {
            await Task.Delay(100, Ct); // let it go to sleep on the empty outbox (had it not yet, it must deliver all the same)
            outbox.Enqueue("order-6", receiver.Url.ToString(), "N-6:" + new string('0', 64), Result(6), PushAcceptance.BodyIsOne, receiver.Pin);

            await Poll.UntilAsync(() => outbox.Messages.Single().DeliveredAt is not null, "the enqueued push");
            Assert.Single(receiver.Requests);
        }
        finally
        {
            await delivery.StopAsync(CancellationToken.None);
        }
        Assert.True(delivery.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_transport_that_throws_costs_an_attempt_and_the_loop_goes_on()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var state = new TempDir();
        var clock = new FakeTimeProvider(Start);
        var outbox = Outbox(state.Path, clock);
        using var transport = Transport();
        var failingOnce = new ThrowingTransport(transport, throwsFor: 1);
        using var delivery = Delivery(outbox, failingOnce, clock);
        outbox.Enqueue("order-7", receiver.Url.ToString(), "N-7:" + new string('1', 64), Result(7), PushAcceptance.BodyIsOne, receiver.Pin);
        await delivery.StartAsync(Ct);
        try
        {
            // The failed attempt waits out its backoff on the clock: step it until the push goes out.
            await Poll.UntilAsync(() =>
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                return outbox.Messages.Single().DeliveredAt is not null;
            }, "the push after the failure");
            Assert.Single(receiver.Requests);
            Assert.Equal(2, outbox.Messages.Single().Attempts);
        }
        finally
        {
            await delivery.StopAsync(CancellationToken.None);
        }
        Assert.True(delivery.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_push_whose_transport_always_throws_does_not_hold_up_the_one_behind_it()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var state = new TempDir();
        var outbox = Outbox(state.Path, TimeProvider.System);
        using var transport = Transport();
        var broken = new ThrowingTransport(transport, throwsFor: int.MaxValue, onlyOrder: "order-8");
        outbox.Enqueue("order-8", receiver.Url.ToString(), "N-8:" + new string('2', 64), Result(8), PushAcceptance.BodyIsOne, receiver.Pin);
        outbox.Enqueue("order-9", receiver.Url.ToString(), "N-9:" + new string('3', 64), Result(9), PushAcceptance.BodyIsOne, receiver.Pin);

        Assert.Equal(1, await outbox.DeliverDueAsync(broken, Ct));

        Assert.Equal([null, "order-9"], outbox.Messages.Select(m => m.DeliveredAt is null ? null : m.OrderId));
        Assert.Equal("the transport failed (InvalidOperationException)", outbox.Messages[0].LastError);
        Assert.Equal("order-9", Assert.Single(receiver.Requests).Header("X-Appliance-Order"));
    }

    /// <summary>A transport with a bug: throws for its first <c>throwsFor</c> pushes (of one order, or any), then sends through the real one.</summary>
    private sealed class ThrowingTransport(IOutboxTransport real, int throwsFor, string? onlyOrder = null) : IOutboxTransport
    {
        private int _thrown;

        public Task<PushAnswer> SendAsync(OutboxMessage message, Stream body, CancellationToken cancel)
        {
            if ((onlyOrder is null || message.OrderId == onlyOrder) && Interlocked.Increment(ref _thrown) <= throwsFor)
                throw new InvalidOperationException("a bug in the transport");
            return real.SendAsync(message, body, cancel);
        }
    }
}
