using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Orders;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Appliance.Ui;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Appliance.Protocols.Tests.Orders.Counter;

/// <summary>
/// Issue 19's acceptance, end to end on the sim board: an order placed over the admin API in seed 002's shape, each
/// signer at the counter (the sim ID card through the real SAM driver, the pen pipe through the real evdev driver,
/// the real screen), the PDF signed after each signer, and the result pushed over https to a local receiver that
/// refuses the first pushes while the terminal restarts, read back by pdfsig and pdftoppm.
/// </summary>
public sealed class OrderCounterFlowTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private const string OrgName = "示例科技有限公司", OrgNumber = "91110101MA00000000";

    /// <summary>The person of the sim board's "mainland" card.</summary>
    private static readonly (string Name, string Number) CardHolder = ("林示例", Simulators.IdCard.FictionalCard.WithCheckCharacter("11010119900307123"));

    /// <summary>Signer 1's box on page 1 and signer 2's on page 2: left, bottom, right, top (seed 002), blank on the sample pages.</summary>
    private static readonly double[] FirstBox = [0.30, 0.25, 0.60, 0.35], SecondBox = [0.55, 0.15, 0.85, 0.25];

    private static string[] Options(LoopbackHttpsReceiver receiver, params string[] more) =>
        ["--pairing:minAttemptIntervalMs=0", "--orders:outbox:retryInitialSeconds=0.3", "--orders:outbox:retryMaxSeconds=1", $"--orders:callbackPins:0={receiver.Pin}", .. more];

    [Fact]
    public async Task A_two_signer_order_is_signed_in_turn_across_a_restart_and_its_result_arrives_once_received_through_refusals_and_another_restart()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(LoopbackHttpsReceiver.RefusingFirst(3, ReceiverAnswer.Unavailable));
        using var state = new TempDir("appliance-orders-");
        var document = SamplePdf.Create(pages: 2);
        string signid;
        SignedCaller caller;

        // Signer 1, a person who proves who they are with the ID card; then the terminal stops while signer 2 is on screen.
        await using (var terminal = await RunningTerminal.StartAsync(state.Path, Options(receiver)))
        {
            caller = await SignedCaller.PairAsync(terminal);
            var answer = await caller.PostAsync(terminal, "/orders/wosign", WoSignOrder("HT-2026-0001", document, receiver));
            Assert.True(answer.GetProperty("status").GetInt32() == 1, answer.ToString());
            signid = answer.GetProperty("signid").GetString()!;
            using var pen = await SimPen.OpenAsync(terminal.StateDir);

            await Poll.UntilAsync(() => terminal.Service<TerminalSession>().Current?.Kind == TaskKind.SignOrder, "the order on the counter");
            await PlaceCardAsync(terminal, "mainland");
            await SignAtTheCounterAsync(terminal, pen);
            var desk = terminal.Service<OrderDesk>();
            await Poll.UntilAsync(() => desk.Get(caller.KeyId, signid).Progress.SignersDone == 1, "signer 1 signed");
            Assert.True(desk.Get(caller.KeyId, signid).Progress.Signed[0].IdCardChecked);
            // The next signer steps up at once: the document is on screen again for signer 2.
            await Poll.UntilAsync(() => desk.Get(caller.KeyId, signid).State == OrderState.Signing, "signer 2 at the counter");
        }

        // Signer 2, an organisation's representative, after the restart: the interrupted turn waits for the operator's start.
        await using (var terminal = await RunningTerminal.StartAsync(state.Path, Options(receiver)))
        {
            var desk = terminal.Service<OrderDesk>();
            var held = desk.Get(caller.KeyId, signid);
            Assert.Equal((OrderState.Waiting, 1, true), (held.State, held.Progress.SignersDone, held.Progress.Held));
            var started = await caller.PostAsync(terminal, "/orders/start", new JsonObject { ["signid"] = signid });
            Assert.True(started.GetProperty("status").GetString() == "200", started.ToString());
            using var pen = await SimPen.OpenAsync(terminal.StateDir);
            await SignAtTheCounterAsync(terminal, pen);
            await Poll.UntilAsync(() => desk.Get(caller.KeyId, signid).State == OrderState.Signed, "the order signed");
            await Poll.UntilAsync(() => receiver.Requests.Count >= 1, "the first push (refused)");
        }

        // The receiver refused the push(es) so far; the terminal restarts again and keeps pushing until it answers 1.
        await using (var terminal = await RunningTerminal.StartAsync(state.Path, Options(receiver)))
        {
            await Poll.UntilAsync(() => receiver.Requests.Count >= 4, "the push retried until received");
            await Poll.UntilAsync(() => terminal.Service<OrderOutbox>().Messages.All(m => m.DeliveredAt is not null), "the outbox counts it delivered");
            await Task.Delay(1500, Ct); // retries come every 0.3..1 s: none may follow a push that was received
            Assert.Equal(4, receiver.Requests.Count);

            var pushes = receiver.Requests;
            Assert.All(pushes, p => Assert.Equal(pushes[0].Body, p.Body)); // identical content every time
            Assert.Single(pushes.Select(p => p.Header("Idempotency-Key")).Distinct());
            var body = JsonDocument.Parse(pushes[0].Body).RootElement;
            Assert.Equal("PushSignedDoc", body.GetProperty("actiontype").GetString());
            Assert.Equal(1, body.GetProperty("status").GetInt32());
            var extend = body.GetProperty("extendData");
            Assert.Equal(signid, extend.GetProperty("signid").GetString());
            var signed = extend.GetProperty("content").GetBytesFromBase64();
            var hash = Convert.ToHexStringLower(SHA256.HashData(signed));
            Assert.Equal(hash, extend.GetProperty("hash").GetString());
            Assert.Equal("HT-2026-0001:" + hash, pushes[0].Header("Idempotency-Key"));
            Assert.Equal(document, signed[..document.Length]); // incremental updates: the original bytes untouched

            // Both signatures valid for a third party, each signer's handwriting inside their own box.
            using var dir = new TempDir();
            var path = Path.Combine(dir.Path, "signed.pdf");
            await File.WriteAllBytesAsync(path, signed, Ct);
            var (report, verdicts) = await PdfTools.PdfsigAsync(path);
            Assert.True(verdicts.Count == 2 && verdicts.All(v => v == "Signature is Valid."), report);
            await PdfTools.AssertQpdfCleanAsync(path);
            await AssertInkInBoxAsync(path, 1, FirstBox);
            await AssertInkInBoxAsync(path, 2, SecondBox);

            // A caller without a callback polls in seed 004's shape; the order number cannot be signed twice.
            var polled = await caller.PostAsync(terminal, "/coss/service/v1/getSignResult", new JsonObject { ["signDataId"] = signid });
            Assert.Equal("FINISH", polled.GetProperty("data").GetProperty("jobStatus").GetString());
            Assert.Equal(signed, polled.GetProperty("data").GetProperty("signedPdf").GetBytesFromBase64());
            var again = await caller.PostAsync(terminal, "/orders/wosign", WoSignOrder("HT-2026-0001", document, receiver));
            Assert.Equal((0, -46), (again.GetProperty("status").GetInt32(), again.GetProperty("errorcode").GetInt32()));
        }
    }

    [Fact]
    public async Task An_ID_card_that_is_not_the_signers_ends_the_order_refused_with_seed_004s_identity_code()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        await using var terminal = await RunningTerminal.StartAsync(null, Options(receiver, "--orders:idCardAttempts=1"));
        using var caller = await SignedCaller.PairAsync(terminal);
        var order = WoSignOrder("HT-ID-1", SamplePdf.Create(pages: 2), receiver);
        order["signerlist"]!.AsArray().RemoveAt(1);
        var signid = (await caller.PostAsync(terminal, "/orders/wosign", order)).GetProperty("signid").GetString()!;

        await Poll.UntilAsync(() => terminal.Service<TerminalSession>().Current?.Kind == TaskKind.SignOrder, "the order on the counter");
        await PlaceCardAsync(terminal, "hkmotw"); // another person's card
        var push = await SinglePushAsync(receiver);
        Assert.Equal((0, "89005099"), (push.GetProperty("status").GetInt32(), push.GetProperty("errorcode").GetString()));
        Assert.Equal("REFUSE", push.GetProperty("extendData").GetProperty("state").GetString());
        Assert.Equal(OrderState.Refused, terminal.Service<OrderDesk>().Get(caller.KeyId, signid).State);
        Assert.Null(terminal.Service<TerminalSession>().Current);
    }

    [Fact]
    public async Task A_signer_who_refuses_on_the_terminal_ends_the_order_refused()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        await using var terminal = await RunningTerminal.StartAsync(null, Options(receiver));
        using var caller = await SignedCaller.PairAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var order = WoSignOrder("HT-NO-1", SamplePdf.Create(pages: 2), receiver);
        order["signerlist"]!.AsArray().RemoveAt(0); // the organisation only: no card
        var signid = (await caller.PostAsync(terminal, "/orders/wosign", order)).GetProperty("signid").GetString()!;

        await TapButtonAsync(terminal, pen, "cancel"); // 拒签 Refuse
        var push = await SinglePushAsync(receiver);
        Assert.Equal((0, "89009011"), (push.GetProperty("status").GetInt32(), push.GetProperty("errorcode").GetString()));
        Assert.Equal(OrderState.Refused, terminal.Service<OrderDesk>().Get(caller.KeyId, signid).State);
    }

    [Fact]
    public async Task A_signer_asked_for_a_fingerprint_gives_it_after_signing_and_it_lands_beside_the_signature()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        await using var terminal = await RunningTerminal.StartAsync(null, Options(receiver));
        using var caller = await SignedCaller.PairAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var order = WoSignOrder("HT-FP-1", SamplePdf.Create(pages: 2), receiver);
        order["signerlist"]!.AsArray().RemoveAt(0);
        order["signerlist"]![0]!["fingerprint"] = true;
        Assert.Equal(1, (await caller.PostAsync(terminal, "/orders/wosign", order)).GetProperty("status").GetInt32());

        // The sensor keeps a finger placed before the capture starts (a person who puts it down at once).
        (await terminal.Http.PostAsync("/sim/finger", new StringContent("""{"person":1,"finger":2}"""), Ct)).Dispose();
        await SignAtTheCounterAsync(terminal, pen);
        var push = await SinglePushAsync(receiver);
        Assert.Equal(1, push.GetProperty("status").GetInt32());

        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "signed.pdf");
        await File.WriteAllBytesAsync(path, push.GetProperty("extendData").GetProperty("content").GetBytesFromBase64(), Ct);
        Assert.Equal(1, await PdfTools.ValidSignaturesAsync(path));
        await AssertInkInBoxAsync(path, 2, SecondBox);
        // The fingerprint: a square as tall as the box, just left of it (the box ends at 0.85 of the page: no room on the right).
        using var rendered = await PdfTools.RenderPageAsync(path, 2, 72);
        var (w, h) = (rendered.Width, rendered.Height);
        var side = (int)((SecondBox[3] - SecondBox[1]) * h);
        var beside = SKRectI.Create((int)(SecondBox[0] * w) - side - 2, (int)((1 - SecondBox[3]) * h), side, side);
        Assert.True(DarkPixels(rendered, beside) > 50, $"the fingerprint expected in {beside}");
    }

    [Fact]
    public async Task An_order_nobody_signed_before_its_expiry_ends_expired_and_a_live_order_number_is_refused_as_being_signed()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        await using var terminal = await RunningTerminal.StartAsync(null, services => services.AddSingleton<TimeProvider>(clock), Options(receiver));
        using var caller = await SignedCaller.PairAsync(terminal);
        var order = WoSignOrder("HT-EXP-1", SamplePdf.Create(pages: 2), receiver);
        order["expiryMinutes"] = 1;
        order["autoStart"] = false;
        var signid = (await caller.PostAsync(terminal, "/orders/wosign", order.DeepClone().AsObject())).GetProperty("signid").GetString()!;
        var duplicate = await caller.PostAsync(terminal, "/orders/wosign", order.DeepClone().AsObject());
        Assert.Equal((0, -47), (duplicate.GetProperty("status").GetInt32(), duplicate.GetProperty("errorcode").GetInt32()));

        clock.Advance(TimeSpan.FromMinutes(2));
        var push = await SinglePushAsync(receiver);
        Assert.Equal((0, "89003008"), (push.GetProperty("status").GetInt32(), push.GetProperty("errorcode").GetString()));
        var polled = await caller.PostAsync(terminal, "/coss/service/v1/getSignResult", new JsonObject { ["signDataId"] = signid });
        Assert.Equal("EXPIRE", polled.GetProperty("data").GetProperty("jobStatus").GetString());
    }

    // ------------------------------------------------------------ helpers

    /// <summary>Seed 002's CreateSignOrder: a person (ID card checked) on page 1, then an organisation on page 2.</summary>
    private static JsonObject WoSignOrder(string number, byte[] pdf, LoopbackHttpsReceiver receiver) => new()
    {
        ["actiontype"] = "CreateSignOrder",
        ["tempid"] = "",
        ["subject"] = "示例合同 Sample contract",
        ["password"] = "",
        ["filebase"] = Convert.ToBase64String(pdf),
        ["fileformat"] = "pdf",
        ["orderNumber"] = number,
        ["callbackUrl"] = receiver.Url.ToString(),
        ["signerlist"] = new JsonArray
        {
            new JsonObject
            {
                ["signType"] = "2", ["userName"] = CardHolder.Name, ["userNo"] = CardHolder.Number, ["verifyIdCard"] = true,
                ["signlist"] = new JsonArray { new JsonObject { ["pagenumber"] = 1, ["position"] = Position(FirstBox) } },
            },
            new JsonObject
            {
                ["signType"] = "1", ["orgName"] = OrgName, ["orgNo"] = OrgNumber,
                ["signlist"] = new JsonArray { new JsonObject { ["pagenumber"] = 2, ["position"] = Position(SecondBox) } },
            },
        },
    };

    private static string Position(double[] box) => string.Join(", ", box.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static async Task PlaceCardAsync(RunningTerminal terminal, string preset) =>
        (await terminal.Http.PostAsync("/sim/card", new StringContent($$"""{"preset":"{{preset}}"}"""), Ct)).Dispose();

    /// <summary>The signer at the counter: 签名 Sign, a stroke in the signature window and its OK, then 完成 Finish.</summary>
    private static async Task SignAtTheCounterAsync(RunningTerminal terminal, SimPen pen)
    {
        var screen = terminal.Service<ScreenService>();
        // As a person would: tap again when the window did not react (the page may still be opening).
        await Poll.UntilAsync(() => screen.IsSigning || Tapped(terminal, pen, "sign"), "the signature window");
        await Poll.UntilAsync(() => screen.IsSigning, "the signature window");
        var ok = screen.Buttons().Single(b => b.Id == "sign_ok_button").Bounds;
        pen.Line(300, 400, 900, 420);
        await Task.Delay(100, Ct);
        pen.Tap((ok.Left + ok.Right) / 2.0, (ok.Top + ok.Bottom) / 2.0);
        await Poll.UntilAsync(() => !screen.IsSigning, "the signature window closed");
        // The document takes the pen again once the signature is placed; the task ends when Finish was taken.
        var task = terminal.Service<TerminalSession>().Current;
        await Poll.UntilAsync(() => terminal.Service<TerminalSession>().Current != task || Tapped(terminal, pen, "finish"), "完成 Finish taken");
    }

    /// <summary>Taps the button if it is on screen, then gives the terminal a moment; always false (a poll's "not yet").</summary>
    private static bool Tapped(RunningTerminal terminal, SimPen pen, string id)
    {
        if (terminal.Service<ScreenService>().Buttons().SingleOrDefault(b => b.Id == id) is { } button)
            pen.Tap((button.Bounds.Left + button.Bounds.Right) / 2.0, (button.Bounds.Top + button.Bounds.Bottom) / 2.0);
        Thread.Sleep(400);
        return false;
    }

    private static async Task TapButtonAsync(RunningTerminal terminal, SimPen pen, string id)
    {
        var screen = terminal.Service<ScreenService>();
        Core.Screen.ScreenButton? button = null;
        await Poll.UntilAsync(() => (button = screen.Buttons().SingleOrDefault(b => b.Id == id)) is not null, $"the {id} button");
        pen.Tap((button!.Bounds.Left + button.Bounds.Right) / 2.0, (button.Bounds.Top + button.Bounds.Bottom) / 2.0);
    }

    private static async Task<JsonElement> SinglePushAsync(LoopbackHttpsReceiver receiver)
    {
        await Poll.UntilAsync(() => receiver.Requests.Count >= 1, "the result push");
        return JsonDocument.Parse(Assert.Single(receiver.Requests).Body).RootElement.Clone();
    }

    /// <summary>pdftoppm shows ink inside the box (seed 002 fractions, bottom-left origin) and none in a band just above it.</summary>
    private static async Task AssertInkInBoxAsync(string path, int page, double[] box)
    {
        using var rendered = await PdfTools.RenderPageAsync(path, page, 72);
        var (w, h) = (rendered.Width, rendered.Height);
        var inside = SKRectI.Create((int)(box[0] * w), (int)((1 - box[3]) * h), (int)((box[2] - box[0]) * w), (int)((box[3] - box[1]) * h));
        Assert.True(DarkPixels(rendered, inside) > 20, $"ink expected in {inside} of page {page}");
        Assert.Equal(0, DarkPixels(rendered, SKRectI.Create(inside.Left, inside.Top - 30, inside.Width, 25)));
        Assert.Equal(0, DarkPixels(rendered, SKRectI.Create(inside.Left, inside.Bottom + 5, inside.Width, 25)));
    }

    private static int DarkPixels(SKBitmap bitmap, SKRectI box)
    {
        var count = 0;
        for (var y = Math.Max(0, box.Top); y < Math.Min(bitmap.Height, box.Bottom); y++)
            for (var x = Math.Max(0, box.Left); x < Math.Min(bitmap.Width, box.Right); x++)
                if (bitmap.GetPixel(x, y) is var c && c.Red < 110 && c.Green < 110 && c.Blue < 110) count++;
        return count;
    }
}
