using Appliance.Core.Capture;
using Appliance.Core.Documents;
using Appliance.Core.Journal;
using Appliance.Core.Orders;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Core.Tests.Orders;

/// <summary>The desk's rules without the counter: intake checks, order numbers, expiry, revoke, recovery after a restart.</summary>
public sealed class OrderDeskTests : IDisposable
{
    private readonly TempDir _state = new("orders-");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingPush _pushes = new();
    private readonly List<OrderDesk> _desks = [];

    public void Dispose()
    {
        foreach (var desk in _desks) desk.Dispose();
        _state.Dispose();
    }

    private TerminalSession? _session;

    private (OrderDesk Desk, OrderStore Store, OrderOutbox Outbox) Open(OrderOptions? options = null)
    {
        var store = new OrderStore(_state.Path, NullLogger<OrderStore>.Instance);
        var outbox = new OrderOutbox(_state.Path, new OutboxOptions(), _clock, NullLogger<OrderOutbox>.Instance);
        var journal = new ResultsJournal(_state.Path, new JournalOptions(), _clock, NullLogger<ResultsJournal>.Instance);
        var session = _session = new TerminalSession(journal, null, _clock, NullLogger<TerminalSession>.Instance, TimeSpan.Zero);
        var devices = new OrderCounterDevices(new NoScreen(), new Appliance.TestSupport.Fakes.FakeScreen(), new NoSigner(), new NoDataSigner(), null, null);
        var desk = new OrderDesk(store, outbox, session, journal, devices, new OnePageLayout(), _pushes, options ?? new OrderOptions(), _clock, NullLogger<OrderDesk>.Instance);
        _desks.Add(desk);
        return (desk, store, outbox);
    }

    private static OrderIntake Intake(string number = "HT-001", string caller = "pc1", params SignerIntake[] signers) => new()
    {
        Caller = caller,
        Shape = OrderShape.WoSign,
        OrderNumber = number,
        Bytes = [1, 2, 3],
        Signers = signers.Length > 0 ? signers : [Person("张三", "110101199003077777")],
        CallbackUrl = "https://127.0.0.1:9/push",
        AutoStart = false,
        ValidFor = TimeSpan.FromMinutes(10),
    };

    private static SignerIntake Person(string name, string number) => new()
    {
        Kind = SignerKind.Person, Name = name, Number = number, Placements = [new PlacementSpec.Area(1, 0.1, 0.1, 0.4, 0.2)],
    };

    [Fact]
    public void An_order_number_being_signed_is_refused_and_one_that_was_revoked_may_be_placed_again_as_a_new_order()
    {
        var (desk, _, _) = Open();
        var first = desk.Accept(Intake());
        Assert.Equal(OrderState.Waiting, first.State);
        Assert.Equal(OrderFailure.BeingSigned, Assert.Throws<OrderException>(() => desk.Accept(Intake())).Failure);
        Assert.NotEqual(first.Id, desk.Accept(Intake(caller: "pc2")).Id); // order numbers are per caller

        desk.Revoke("pc1", first.Id);
        var again = desk.Accept(Intake());
        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal(OrderState.Revoked, desk.Get("pc1", first.Id).State);
    }

    [Fact]
    public void A_signed_order_number_is_refused_as_already_signed()
    {
        var (desk, store, _) = Open();
        var order = desk.Accept(Intake());
        store.Save(order.Id, order.Progress with { State = OrderState.Signed, SignersDone = 1 });
        Assert.Equal(OrderFailure.AlreadySigned, Assert.Throws<OrderException>(() => desk.Accept(Intake())).Failure);
    }

    [Fact]
    public void Each_bad_intake_is_refused_with_its_own_failure()
    {
        var (desk, _, _) = Open();
        OrderFailure Refused(OrderIntake intake) => Assert.Throws<OrderException>(() => desk.Accept(intake)).Failure;
        Assert.Equal(OrderFailure.OrderNumberEmpty, Refused(Intake(number: " ")));
        Assert.Equal(OrderFailure.SignerCount, Refused(Intake() with { Signers = [] }));
        Assert.Equal(OrderFailure.SignerCount, Refused(Intake() with { Signers = [.. Enumerable.Repeat(Person("张三", "1"), OrderLimits.MaxSigners + 1)] }));
        Assert.Equal(OrderFailure.PersonNameEmpty, Refused(Intake(signers: Person("", "1"))));
        Assert.Equal(OrderFailure.OrganisationNumberEmpty, Refused(Intake(signers: Person("某公司", "") with { Kind = SignerKind.Organisation })));
        Assert.Equal(OrderFailure.PersonNumberEmpty, Refused(Intake(signers: Person("张三", "") with { VerifyIdCard = true })));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake(signers: Person("张三", "1") with { Placements = [] })));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake() with { ValidFor = TimeSpan.FromMinutes(4321) }));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake() with { CallbackUrl = "ftp://x/" }));
        Assert.Empty(desk.List("pc1"));
    }

    [Fact]
    public async Task An_order_not_signed_by_its_expiry_ends_expired_and_its_push_is_queued_once()
    {
        var (desk, _, outbox) = Open();
        var order = desk.Accept(Intake());
        _clock.Advance(TimeSpan.FromMinutes(11));
        await WaitUntil(() => desk.Get("pc1", order.Id).State == OrderState.Expired);
        var ended = desk.Get("pc1", order.Id);
        Assert.Equal(OrderFailure.Expired, ended.Progress.EndFailure);
        Assert.Equal(OrderFailure.Expired, Assert.Throws<OrderException>(() => desk.Start("pc1", order.Id)).Failure);
        var push = Assert.Single(outbox.Messages);
        Assert.Equal((order.Id, "HT-001:Expired"), (push.OrderId, push.IdempotencyKey));
    }

    [Fact]
    public void Revoke_ends_the_order_once_and_only_for_its_caller()
    {
        var (desk, _, outbox) = Open();
        var order = desk.Accept(Intake());
        Assert.Equal(OrderFailure.UnknownOrder, Assert.Throws<OrderException>(() => desk.Revoke("pc2", order.Id)).Failure);
        Assert.Equal(OrderState.Revoked, desk.Revoke("pc1", order.Id).State);
        Assert.Equal(OrderFailure.AlreadyEnded, Assert.Throws<OrderException>(() => desk.Revoke("pc1", order.Id)).Failure);
        Assert.Single(outbox.Messages);
    }

    [Fact]
    public void After_a_restart_an_order_that_was_on_the_counter_waits_held_and_an_ended_order_without_its_push_gets_it()
    {
        var (desk, store, _) = Open();
        var onCounter = desk.Accept(Intake("A"));
        var ended = desk.Accept(Intake("B"));
        store.Save(onCounter.Id, onCounter.Progress with { State = OrderState.Signing });
        store.Save(ended.Id, ended.Progress with { State = OrderState.Refused, EndFailure = OrderFailure.Refused });
        desk.Dispose();

        var (again, _, outbox) = Open();
        var recovered = again.Get("pc1", onCounter.Id);
        Assert.Equal(OrderState.Waiting, recovered.State);
        Assert.True(recovered.Progress.Held, "an interrupted order waits for an operator, it does not loop on the screen");
        Assert.Equal(ended.Id, Assert.Single(outbox.Messages).OrderId);

        // A second restart queues nothing twice.
        again.Dispose();
        var (_, _, third) = Open();
        Assert.Single(third.Messages);
    }

    [Fact]
    public void The_store_reads_back_every_order_with_its_placements_and_drops_an_intake_the_crash_interrupted()
    {
        var (desk, _, _) = Open();
        var order = desk.Accept(Intake(signers: Person("张三", "110101199003077777") with { VerifyIdCard = true, StampPng = Png(9, 9) }));
        var interrupted = Path.Combine(_state.Path, "orders", "SO_half");
        Directory.CreateDirectory(interrupted);
        File.WriteAllBytes(Path.Combine(interrupted, "document-0.pdf"), [1]);

        var store = new OrderStore(_state.Path, NullLogger<OrderStore>.Instance);
        var read = store.Find(order.Id)!;
        Assert.Equal(order.Order.Signers[0].Placements, read.Order.Signers[0].Placements);
        Assert.Equal(Png(9, 9), read.Order.Signers[0].StampPng);
        Assert.True(read.Order.Signers[0].VerifyIdCard);
        Assert.Equal([1, 2, 3], store.ReadContent(read, 0));
        Assert.False(Directory.Exists(interrupted));
    }

    [Fact]
    public void An_order_that_would_not_fit_the_orders_storage_is_refused_and_nothing_is_stored()
    {
        var (desk, store, _) = Open(new OrderOptions { MaxBytes = 32L << 20 });
        Assert.Equal(OrderFailure.TooLarge, Assert.Throws<OrderException>(() => desk.Accept(Intake() with { Bytes = new byte[17 << 20] })).Failure);
        desk.Accept(Intake("A") with { Bytes = new byte[11 << 20] });
        Assert.Equal(OrderFailure.TooManyOrders, Assert.Throws<OrderException>(() => desk.Accept(Intake("B") with { Bytes = new byte[11 << 20] })).Failure);
        Assert.Single(store.List());
        Assert.InRange(store.Bytes, 11L << 20, 12L << 20);
    }

    [Fact]
    public void An_ended_order_goes_after_keepHours_once_its_result_was_received_and_after_undeliveredKeepHours_otherwise()
    {
        var (desk, store, outbox) = Open(new OrderOptions { KeepHours = 1, UndeliveredKeepHours = 5 });
        var quiet = desk.Accept(Intake("A") with { CallbackUrl = "" });
        var waiting = desk.Accept(Intake("B"));
        desk.Revoke("pc1", quiet.Id);
        desk.Revoke("pc1", waiting.Id);
        var retention = (Core.Storage.IRetention)desk;
        Assert.Equal(0, retention.ApplyRetention());

        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, retention.ApplyRetention());
        Assert.Null(store.Find(quiet.Id));
        Assert.False(Directory.Exists(Path.Combine(_state.Path, "orders", quiet.Id)));
        Assert.NotNull(store.Find(waiting.Id)); // its push is still waiting for the receiver
        Assert.Single(outbox.Messages, m => m.DeliveredAt is null);

        _clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(1, retention.ApplyRetention());
        Assert.Empty(store.List());
        Assert.Equal(0, new OrderStore(_state.Path, NullLogger<OrderStore>.Instance).Bytes);
    }

    [Fact]
    public async Task An_order_that_arrives_while_the_terminal_shuts_down_waits_and_the_sweep_keeps_running()
    {
        var (desk, _, _) = Open();
        await _session!.ShutdownAsync("test", TestContext.Current.CancellationToken);
        var order = desk.Accept(Intake() with { AutoStart = true });
        await Task.Delay(OrderDesk.SweepInterval * 1.5, TestContext.Current.CancellationToken); // a sweep that threw would end the test host
        Assert.Equal(OrderState.Waiting, desk.Get("pc1", order.Id).State);
    }

    [Fact]
    public void A_push_once_queued_is_not_composed_again_at_a_restart_even_when_the_outbox_pruned_it()
    {
        var (desk, store, outbox) = Open();
        var order = desk.Accept(Intake());
        desk.Revoke("pc1", order.Id);
        Assert.Single(outbox.Messages);
        Assert.True(store.Find(order.Id)!.Progress.PushQueued);
        desk.Dispose();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_state.Path, "orders", "outbox"))) File.Delete(file); // as the outbox's pruning does

        var (_, _, again) = Open();
        Assert.Empty(again.Messages);
    }

    [Theory]
    [InlineData("""{"id": null}""")]
    [InlineData("not json")]
    [InlineData("""{"id":"SO_x","caller":"pc1","shape":"WoSign","orderNumber":"1","signers":null}""")]
    public void A_damaged_order_is_set_aside_and_the_others_load(string orderJson)
    {
        var (desk, _, _) = Open();
        var good = desk.Accept(Intake("A"));
        var bad = desk.Accept(Intake("B"));
        desk.Dispose();
        File.WriteAllText(Path.Combine(_state.Path, "orders", bad.Id, "order.json"), orderJson);

        var store = new OrderStore(_state.Path, NullLogger<OrderStore>.Instance);
        Assert.NotNull(store.Find(good.Id));
        Assert.Null(store.Find(bad.Id));
        Assert.True(Directory.Exists(Path.Combine(_state.Path, "orders", bad.Id + ".corrupt")));
    }

    [Fact]
    public void Texts_are_bounded_order_numbers_have_no_control_characters_and_a_seal_must_be_a_picture_of_sane_size()
    {
        var (desk, _, _) = Open();
        OrderFailure Refused(OrderIntake intake) => Assert.Throws<OrderException>(() => desk.Accept(intake)).Failure;
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake(number: "HT\r\nX-Evil: 1")));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake(number: new string('9', 65))));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake() with { Subject = new string('合', 257) }));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake(signers: Person(new string('张', 129), "1"))));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake() with { CallbackPin = "abc" }));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake(signers: Person("张三", "1") with { StampPng = [1, 2, 3] })));
        Assert.Equal(OrderFailure.BadParameter, Refused(Intake(signers: Person("张三", "1") with { StampPng = Png(60000, 10) })));
        desk.Accept(Intake(signers: Person("张三", "1") with { StampPng = Png(300, 300) }));
    }

    [Fact]
    public void A_pictures_size_is_read_from_its_png_or_jpeg_header()
    {
        Assert.Equal((300, 120), PictureHeader.Size(Png(300, 120)));
        // A JPEG: SOI, an APP0 segment, then SOF0 with height 0x0102 and width 0x0304.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x02, 0x03, 0x04, 0x03];
        Assert.Equal((0x0304, 0x0102), PictureHeader.Size(jpeg));
        Assert.Null(PictureHeader.Size("GIF89a"u8));
    }

    /// <summary>The first bytes of a PNG: its signature and an IHDR chunk with the size (what the header check reads).</summary>
    private static byte[] Png(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        return bytes;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition never held");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private sealed class RecordingPush : IOrderResultPush
    {
        public OrderPush? Compose(OrderView ended, byte[]? result) => ended.Order.CallbackUrl.Length == 0 ? null
            : new OrderPush(ended.Order.CallbackUrl, System.Text.Encoding.UTF8.GetBytes(ended.State.ToString()), PushAcceptance.BodyIsOne,
                $"{ended.Order.OrderNumber}:{(result is null ? ended.State.ToString() : "x")}");
    }

    private sealed class OnePageLayout : IDocumentLayoutReader, IDocumentLayout
    {
        public IDocumentLayout Open(byte[] pdf) => this;
        public int PageCount => 1;
        public (double Width, double Height) PageSize(int page) => (595, 842);
        public IReadOnlyList<TextHit> FindText(string text) => [];
        public void Dispose() { }
    }

    private sealed class NoScreen : IDocumentScreen
    {
        public Task<IDocumentView> ShowDocumentAsync(DocumentViewOptions options, CancellationToken cancel) => throw new NotSupportedException("not in these tests");
    }

    private sealed class NoSigner : IDocumentSigner
    {
        public Task<SignedDocument> SignAsync(byte[] pdf, IReadOnlyList<DocumentStamp> stamps, DocumentEvidence evidence, CancellationToken cancel) => throw new NotSupportedException();
    }

    private sealed class NoDataSigner : IDataSigner
    {
        public Task<DataSignature> SignAsync(byte[] data, OrderContentKind kind, string algorithm, CancellationToken cancel) => throw new NotSupportedException();
    }
}
