using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Protocols.Uos;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Protocols.Tests.Uos;

/// <summary>
/// The delivery rules at the connection level, where the interleavings a live terminal only hits by chance can be
/// set up exactly: a result listed for a reconnecting page after its live send already succeeded, and a client
/// that stops reading.
/// </summary>
public sealed class UosResultDeliveryTests
{
    private const string Peer = "192.0.2.7";

    private static ResultRecord Signature() => new()
    {
        TaskId = Guid.NewGuid().ToString("N"), Kind = TaskKind.Sign, State = TaskState.Completed,
        Requester = new TaskRequester(UosResultDelivery.Origin, Peer, "uos-gone"), FinishedAt = DateTimeOffset.UtcNow,
        Images = [new("signature", TestImages.SignaturePng())],
    };

    [Fact]
    public async Task A_result_delivered_between_the_listing_and_the_send_is_not_sent_to_the_new_page_again()
    {
        using var dir = new TempDir();
        var journal = new ResultsJournal(dir.Path, new JournalOptions(), TimeProvider.System, NullLogger<ResultsJournal>.Instance);
        using var delivery = new UosResultDelivery(journal, new UosConnectionRegistry(), NullLogger<UosResultDelivery>.Instance);
        journal.Append(Signature()); // nobody of that PC is connected: it stays pending
        using var socket = new ScriptedWebSocket();
        await using var page = new UosConnection(socket, UosClientKind.PcPage, Peer, null!);

        // What OnConnected does for a reconnecting page, with the live send of another page of that PC finishing
        // (delivered, then released) right after the listing.
        var listed = Assert.Single(journal.Undelivered(UosResultDelivery.Origin, Peer));
        Assert.True(journal.MarkDelivered(listed.Sequence));
        delivery.Deliver(listed, only: page);

        Assert.Equal(0, page.Queued);
    }

    [Fact]
    public async Task A_result_still_pending_when_listed_goes_to_the_new_page()
    {
        using var dir = new TempDir();
        var journal = new ResultsJournal(dir.Path, new JournalOptions(), TimeProvider.System, NullLogger<ResultsJournal>.Instance);
        using var delivery = new UosResultDelivery(journal, new UosConnectionRegistry(), NullLogger<UosResultDelivery>.Instance);
        journal.Append(Signature());
        using var socket = new ScriptedWebSocket();
        await using var page = new UosConnection(socket, UosClientKind.PcPage, Peer, null!);

        delivery.Deliver(Assert.Single(journal.Undelivered(UosResultDelivery.Origin, Peer)), only: page);

        Assert.Equal(1, page.Queued);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_as_too_slow_and_its_unsent_results_stay_pending()
    {
        using var dir = new TempDir();
        var journal = new ResultsJournal(dir.Path, new JournalOptions(), TimeProvider.System, NullLogger<ResultsJournal>.Instance);
        var registry = new UosConnectionRegistry();
        using var delivery = new UosResultDelivery(journal, registry, NullLogger<UosResultDelivery>.Instance);
        using var socket = new ScriptedWebSocket();
        await using var page = new UosConnection(socket, UosClientKind.PcPage, Peer, null!);
        registry.Add(page);
        var running = page.RunAsync(TestContext.Current.CancellationToken);

        // The result is queued first; then the queue fills while the client reads nothing.
        var result = journal.Append(Signature());
        using (var taken = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while (page.Queued > 0) await Task.Delay(10, taken.Token); // the send loop holds it, blocked in the socket
        var accepted = 1;
        while (page.TrySend("{\"response\":\"camerabase64\",\"message\":\"\"}"u8.ToArray())) accepted++;
        await running.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // 256 more waited behind the result before the connection gave up on the client.
        Assert.Equal(1 + 256, accepted);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, socket.ClosedWith);
        Assert.Equal("client too slow: send queue full", socket.ClosedBecause);
        Assert.Empty(socket.Sent);
        Assert.False(journal.Find(result.Sequence)!.Delivered);
    }
}
