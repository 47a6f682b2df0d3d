using System.Security.Cryptography;
using System.Text.Json;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using Appliance.Ui;
using SkiaSharp;

namespace Appliance.Protocols.Tests.CameraService.SignPdf;

/// <summary>
/// §9.6 end to end on the sim board: <c>show_sign_pdf</c> over the CameraService WebSocket, the pen pipe through the
/// real evdev driver, the document window and the signature window on the screen, and the signed PDF read back by
/// third-party tools (pdfsig, qpdf, pdftoppm).
/// </summary>
public sealed class SignPdfFlowTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(1300);

    [Fact]
    public async Task A_long_press_signs_there_sign_pdf_info_reports_the_place_and_finish_sends_a_signed_pdf_third_party_tools_accept()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        using var dir = new TempDir();
        var document = SamplePdf.Create(pages: 3);

        var shown = await ShowAsync(pc, document, """ "preview_zoom": "fit_height", "file_path": "contract.pdf" """);
        Assert.Equal("0", shown.GetProperty("code").GetString());
        var page = await WaitForPageAsync(terminal);

        await pen.PressAndHoldAsync(page.Left + 0.3 * page.Width, page.Top + 0.6 * page.Height, Hold, Ct);
        await SignInTheWindowAsync(terminal, pen);

        var info = await pc.ReceiveJsonAsync();
        Assert.Equal("sign_pdf_info", info.GetProperty("function").GetString());
        Assert.Equal("contract.pdf", info.GetProperty("file_path").GetString());
        var pos = info.GetProperty("pos");
        Assert.Equal("1", pos.GetProperty("page").GetString());
        Assert.Equal(0.3, double.Parse(pos.GetProperty("x").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 2);
        Assert.Equal(0.6, double.Parse(pos.GetProperty("y").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 2);
        using (var signature = TestImages.Decode(info.GetProperty("signature").GetBytesFromBase64()))
            Assert.True(signature.Width > 100, "the signature PNG is the pad's picture");
        Assert.False(info.TryGetProperty("fingerprint", out _));

        await TapButtonAsync(terminal, pen, "finish");
        var signoff = await pc.ReceiveJsonAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("sign_pdf_info", "signoff", "0"), (signoff.GetProperty("function").GetString(), signoff.GetProperty("action").GetString(), signoff.GetProperty("code").GetString()));
        var signed = signoff.GetProperty("pdf").GetBytesFromBase64();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(signed)), signoff.GetProperty("sha256").GetString());
        Assert.Equal(document, signed.AsSpan(0, document.Length).ToArray()); // an incremental update: the original bytes untouched

        var path = Path.Combine(dir.Path, "signed.pdf");
        await File.WriteAllBytesAsync(path, signed, Ct);
        var (report, verdicts) = await PdfTools.PdfsigAsync(path);
        Assert.True(verdicts.Count == 1 && verdicts.All(v => v == "Signature is Valid."), report);
        await PdfTools.AssertQpdfCleanAsync(path);

        // pdftoppm shows the handwriting where it was placed: ink inside the stamp's box, none just above it.
        using var rendered = await PdfTools.RenderPageAsync(path, 1, 72);
        var box = SKRectI.Create((int)(0.3 * rendered.Width), (int)(0.6 * rendered.Height), (int)(0.25 * rendered.Width), (int)(0.07 * rendered.Height));
        Assert.True(DarkPixels(rendered, box) > 20, $"ink expected in {box} of the rendered page");
        Assert.Equal(0, DarkPixels(rendered, SKRectI.Create(box.Left, box.Top - 30, box.Width, 25)));

        Assert.Null(terminal.Service<TerminalSession>().Current);
        var entry = terminal.Service<ResultsJournal>().Entries.Single(e => e.Kind == TaskKind.SignPdf);
        Assert.True(entry.Delivered, "the signoff went out, so the journal counts it delivered");
    }

    [Fact]
    public async Task Without_long_press_the_Sign_button_signs_and_sign_pdf_info_carries_no_pos()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);

        var shown = await ShowAsync(pc, SamplePdf.Create(pages: 2), """ "long_press_trigger_sign": "false" """);
        Assert.Equal("0", shown.GetProperty("code").GetString());
        await WaitForPageAsync(terminal);
        await TapButtonAsync(terminal, pen, "sign");
        await SignInTheWindowAsync(terminal, pen);

        var info = await pc.ReceiveJsonAsync();
        Assert.Equal("sign_pdf_info", info.GetProperty("function").GetString());
        Assert.False(info.TryGetProperty("pos", out _), "§9.6.1: with the Sign button the answer has no pos");

        await TapButtonAsync(terminal, pen, "cancel");
        var signoff = await pc.ReceiveJsonAsync();
        Assert.Equal(("signoff", "5"), (signoff.GetProperty("action").GetString(), signoff.GetProperty("code").GetString()));
        Assert.False(signoff.TryGetProperty("pdf", out _));
    }

    [Fact]
    public async Task Sign_mode_signs_where_the_pen_taps_and_a_second_document_signed_again_keeps_both_signatures_valid()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        using var dir = new TempDir();

        var once = await SignOnceAsync(terminal, pc, pen, SamplePdf.Create(pages: 1), 0.1, 0.15);
        var twice = await SignOnceAsync(terminal, pc, pen, once, 0.55, 0.8);

        var path = Path.Combine(dir.Path, "twice.pdf");
        await File.WriteAllBytesAsync(path, twice, Ct);
        var (report, verdicts) = await PdfTools.PdfsigAsync(path);
        Assert.True(verdicts.Count == 2 && verdicts.All(v => v == "Signature is Valid."), report);
        await PdfTools.AssertQpdfCleanAsync(path);
    }

    [Fact]
    public async Task Remark_mode_writes_notes_on_the_page_and_asks_for_no_signature()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var screen = terminal.Service<ScreenService>();

        await ShowAsync(pc, SamplePdf.Create(), """ "default_mode": "remark", "preview_zoom": "fit_height" """);
        var page = await WaitForPageAsync(terminal);
        var y = (int)(page.Top + 0.75 * page.Height);
        pen.Line(page.Left + 0.2 * page.Width, y, page.Left + 0.8 * page.Width, y);
        await WaitUntilAsync(() => BluePixels(Screen(screen), SKRectI.Create((int)page.Left, y - 4, (int)page.Width, 8)) > 50);

        Assert.False(screen.IsSigning);
        await pc.SendAsync("""{"function":"close_sign_pdf"}""");
        var closed = await pc.ReceiveJsonAsync();
        Assert.Equal(("close_sign_pdf", "0"), (closed.GetProperty("function").GetString(), closed.GetProperty("code").GetString()));
        Assert.Null(terminal.Service<TerminalSession>().Current);
    }

    [Fact]
    public async Task The_pen_turns_pages_scrolls_a_page_taller_than_the_screen_and_zooms()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var screen = terminal.Service<ScreenService>();

        // Pages: "Page 2 of 3" is what the page itself says, read off the screen after 下一页 Next.
        await ShowAsync(pc, SamplePdf.Create(pages: 3), """ "preview_zoom": "fit_height" """);
        var page = await WaitForPageAsync(terminal);
        await TapButtonAsync(terminal, pen, "next");
        var title = SKRectI.Create((int)(page.Left + 0.1 * page.Width), (int)(page.Top + 0.07 * page.Height), (int)(0.5 * page.Width), (int)(0.07 * page.Height));
        string? read = null;
        await WaitUntilAsync(() => (read = Ocr.ReadLineAsync(screen.CapturePng(), 0, title, Ct).GetAwaiter().GetResult()) == "Page2of3");

        // Zoom: 放大 Larger draws the page a quarter wider.
        await TapButtonAsync(terminal, pen, "zoom-in");
        await WaitUntilAsync(() => WhitePage(Screen(screen)) is { } larger && larger.Width > page.Width * 1.2);
        await pc.SendAsync("""{"function":"close_sign_pdf"}""");
        await pc.ReceiveJsonAsync();

        // Scroll: at fit_width an A4 page is taller than the screen; its blue band (mid-page) comes into view as the pen drags up.
        await ShowAsync(pc, SamplePdf.Create(), """ "preview_zoom": "fit_width" """);
        await WaitUntilAsync(() => Screen(screen).GetPixel(640, 400) == SKColors.White);
        Assert.Equal(0, BandRows(Screen(screen)));
        pen.Line(640, 650, 640, 250);
        await WaitUntilAsync(() => BandRows(Screen(screen)) > 100);
    }

    /// <summary>Rows of the screen's page area where the sample page's light blue band shows at the middle column.</summary>
    private static int BandRows(SKBitmap shot) =>
        Enumerable.Range(70, 640).Count(y => shot.GetPixel(640, y) is var c && c.Red is > 195 and < 215 && c.Green is > 222 and < 238 && c.Blue > 245);

    [Theory]
    [InlineData("fit_width")]
    [InlineData("fit_height")]
    [InlineData("no_zoom")]
    [InlineData("25")]
    public async Task Preview_zoom_sizes_the_page_on_screen(string zoom)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);

        await ShowAsync(pc, SamplePdf.Create(), $""" "preview_zoom": "{zoom}" """);
        var page = await WaitForPageAsync(terminal);

        // 10.1-inch 1280x800: 5.91 px/mm, so an A4 page (210 mm) at its printed size ("no_zoom" = 50) is 1241 px wide.
        var expected = zoom switch
        {
            "fit_width" => 1280 - 16,
            "fit_height" => (800 - 68 - 83 - 16) * 595.0 / 842,
            "no_zoom" => 210 * 5.91,
            _ => 210 * 5.91 / 2,
        };
        Assert.InRange(page.Width, Math.Min(expected, 1280) - 12, Math.Min(expected, 1280) + 12);
    }

    [Theory]
    [InlineData("""{"function":"show_sign_pdf","params":{"base64":"JVBERi0xLjcKZ2FyYmFnZQ=="}}""", "1")]       // %PDF-1.7 then garbage
    [InlineData("""{"function":"show_sign_pdf","params":{"base64":"not base64!"}}""", "1")]
    [InlineData("""{"function":"show_sign_pdf","params":{"base64":"aGVsbG8gd29ybGQ="}}""", "1")]              // not a PDF
    [InlineData("""{"function":"show_sign_pdf","params":{}}""", "1")]                                         // no document
    [InlineData("""{"function":"show_sign_pdf","params":{"file_path":"/etc/passwd"}}""", "1")]                 // no document folder configured
    public async Task A_document_that_cannot_be_shown_gets_its_code_and_the_terminal_stays_idle(string message, string code)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);

        await pc.SendAsync(message);
        var answer = await pc.ReceiveJsonAsync();

        Assert.Equal(("show_sign_pdf", code), (answer.GetProperty("function").GetString(), answer.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("message").GetString()));
        Assert.Null(terminal.Service<TerminalSession>().Current);
        // The connection stays up: the next call is answered.
        await pc.SendAsync("""{"function":"close_sign_pdf"}""");
        Assert.Equal("0", (await pc.ReceiveJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_pdf_whose_pages_have_no_size_is_refused_with_code_1()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);

        var answer = await ShowAsync(pc, SamplePdf.Create(width: 0), "");

        Assert.Equal("1", answer.GetProperty("code").GetString());
        Assert.Contains("no usable size", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(terminal.Service<TerminalSession>().Current);
    }

    [Fact]
    public async Task An_encrypted_pdf_is_refused_with_code_1()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var dir = new TempDir();
        var plain = Path.Combine(dir.Path, "plain.pdf");
        var locked = Path.Combine(dir.Path, "locked.pdf");
        await File.WriteAllBytesAsync(plain, SamplePdf.Create(), Ct);
        Assert.Equal(0, (await PdfTools.RunAsync("qpdf", "--encrypt", "user", "owner", "256", "--", plain, locked)).ExitCode);

        var answer = await ShowAsync(pc, await File.ReadAllBytesAsync(locked, Ct), "");

        Assert.Equal("1", answer.GetProperty("code").GetString());
        Assert.Contains("encrypted", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(terminal.Service<TerminalSession>().Current);
    }

    [Theory]
    [InlineData(""" "default_mode": "scribble" """, "default_mode")]
    [InlineData(""" "preview_zoom": "150" """, "preview_zoom")]
    [InlineData(""" "preview_zoom": "fit" """, "preview_zoom")]
    [InlineData(""" "sign": "maybe" """, "sign")]
    [InlineData(""" "fingerprint": "yes please" """, "fingerprint")]
    [InlineData(""" "pos": {"left": "10", "top": "10", "width": "0", "height": "100"} """, "pos")]
    [InlineData(""" "pos": {"left": "10", "top": "10", "width": "300"} """, "height")]
    public async Task A_malformed_parameter_is_code_1_naming_it(string parameter, string named)
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);

        var answer = await ShowAsync(pc, SamplePdf.Create(), parameter);

        Assert.Equal("1", answer.GetProperty("code").GetString());
        Assert.Contains(named, answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(terminal.Service<TerminalSession>().Current);
    }

    [Fact]
    public async Task A_document_over_24_MiB_is_code_8()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);

        var big = new byte[24 * 1024 * 1024 + 1];
        "%PDF-1.7\n"u8.CopyTo(big);
        var answer = await ShowAsync(pc, big, "");

        Assert.Equal("8", answer.GetProperty("code").GetString());
        Assert.Null(terminal.Service<TerminalSession>().Current);
    }

    [Fact]
    public async Task File_path_reads_only_inside_the_document_folder()
    {
        using var folder = new TempDir();
        using var outside = new TempDir();
        await File.WriteAllBytesAsync(Path.Combine(folder.Path, "in.pdf"), SamplePdf.Create(), Ct);
        await File.WriteAllBytesAsync(Path.Combine(outside.Path, "out.pdf"), SamplePdf.Create(), Ct);
        File.CreateSymbolicLink(Path.Combine(folder.Path, "link.pdf"), Path.Combine(outside.Path, "out.pdf"));
        await using var terminal = await RunningTerminal.StartAsync(null, $"--signPdf:documentFolder={folder.Path}");
        await using var pc = await ConnectAsync(terminal);

        foreach (var escape in new[] { "../" + Path.GetFileName(outside.Path) + "/out.pdf", Path.Combine(outside.Path, "out.pdf"), "link.pdf" })
        {
            await pc.SendAsync("{\"function\":\"show_sign_pdf\",\"params\":{\"file_path\":\"" + JsonEncodedText.Encode(escape) + "\"}}");
            var refused = await pc.ReceiveJsonAsync();
            Assert.True(refused.GetProperty("code").GetString() == "7", $"{escape}: {refused}");
        }
        await pc.SendAsync("""{"function":"show_sign_pdf","params":{"file_path":"in.pdf"}}""");
        Assert.Equal("0", (await pc.ReceiveJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(TaskKind.SignPdf, terminal.Service<TerminalSession>().Current?.Kind);
    }

    [Fact]
    public async Task Update_shows_another_document_in_the_open_window_and_a_second_show_without_it_is_busy()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);

        var first = await ShowAsync(pc, SamplePdf.Create(pages: 1), "");
        await WaitForPageAsync(terminal);
        var before = Screen(terminal.Service<ScreenService>());

        var busy = await ShowAsync(pc, SamplePdf.Create(pages: 4), "");
        Assert.Equal("9", busy.GetProperty("code").GetString());

        var updated = await ShowAsync(pc, SamplePdf.Create(pages: 4, title: "Another document"), """ "update": "true" """);
        Assert.Equal("0", updated.GetProperty("code").GetString());
        Assert.Equal(first.GetProperty("task_id").GetString(), updated.GetProperty("task_id").GetString());
        // The caption's hash and the page count changed: the screen differs above the page.
        await WaitUntilAsync(() => Differs(before, Screen(terminal.Service<ScreenService>()), SKRectI.Create(0, 0, 1280, 68)));
    }

    [Fact]
    public async Task A_restart_between_finish_and_the_pcs_fetch_loses_nothing()
    {
        using var state = new TempDir();
        string taskId;
        await using (var terminal = await RunningTerminal.StartAsync(state.Path))
        {
            using var pen = await SimPen.OpenAsync(terminal.StateDir);
            var pc = await ConnectAsync(terminal);
            var shown = await ShowAsync(pc, SamplePdf.Create(), """ "default_mode": "sign", "preview_zoom": "fit_height" """);
            taskId = shown.GetProperty("task_id").GetString()!;
            var page = await WaitForPageAsync(terminal);
            pen.Tap(page.Left + 0.4 * page.Width, page.Top + 0.4 * page.Height);
            await SignInTheWindowAsync(terminal, pen);
            await pc.ReceiveJsonAsync(); // sign_pdf_info
            await pc.DisposeAsync();     // the PC goes away before the person finishes
            await TapButtonAsync(terminal, pen, "finish");
            var entry = await WaitForAsync(() => terminal.Service<ResultsJournal>().Entries.SingleOrDefault(e => e.Kind == TaskKind.SignPdf));
            Assert.False(entry.Delivered);
        }

        await using var restarted = await RunningTerminal.StartAsync(state.Path);
        await using var again = await ConnectAsync(restarted);
        await again.SendAsync("""{"function":"get_signed_pdf"}""");
        var fetched = await again.ReceiveJsonAsync();
        Assert.Equal(("get_signed_pdf", "0", taskId), (fetched.GetProperty("function").GetString(), fetched.GetProperty("code").GetString(), fetched.GetProperty("task_id").GetString()));
        var pdf = fetched.GetProperty("pdf").GetBytesFromBase64();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), fetched.GetProperty("sha256").GetString());
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "fetched.pdf");
        await File.WriteAllBytesAsync(path, pdf, Ct);
        Assert.Equal(1, await PdfTools.ValidSignaturesAsync(path));

        await again.SendAsync("""{"function":"get_signed_pdf"}""");
        Assert.Equal("1", (await again.ReceiveJsonAsync()).GetProperty("code").GetString()); // delivered once
    }

    [Fact]
    public async Task The_fingerprint_follows_the_signature_and_the_signed_pdf_embeds_the_evidence_with_the_id_cards_name()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await terminal.WaitForDeviceStateAsync("idCard", "ready", Ct);
        await terminal.WaitForDeviceStateAsync("fingerprint", "ready", Ct);
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        using var dir = new TempDir();
        // The person's ID card was read just before: its name signs the document.
        (await terminal.Http.PostAsync("/sim/card", new StringContent("""{"preset":"mainland"}"""), Ct)).Dispose();
        using (var card = await new HttpClient().GetAsync(terminal.CameraUri("/card=idcard"), Ct))
            Assert.Contains("林示例", await card.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var document = SamplePdf.Create(pages: 2);

        await ShowAsync(pc, document, """ "default_mode": "sign", "preview_zoom": "fit_height", "fingerprint": "true" """);
        var page = await WaitForPageAsync(terminal);
        pen.Tap(page.Left + 0.2 * page.Width, page.Top + 0.7 * page.Height);
        await SignInTheWindowAsync(terminal, pen);
        // The sensor keeps a finger placed before the capture starts (as a person who puts it down at once).
        (await terminal.Http.PostAsync("/sim/finger", new StringContent("""{"person":1,"finger":2}"""), Ct)).Dispose();

        var info = await pc.ReceiveJsonAsync(TimeSpan.FromSeconds(60));
        using (var finger = TestImages.Decode(info.GetProperty("fingerprint").GetBytesFromBase64()))
            Assert.True(finger.Width >= 100 && finger.Height >= 100, "the fingerprint PNG");
        await TapButtonAsync(terminal, pen, "finish");
        var signoff = await pc.ReceiveJsonAsync(TimeSpan.FromSeconds(60));
        var path = Path.Combine(dir.Path, "signed.pdf");
        await File.WriteAllBytesAsync(path, signoff.GetProperty("pdf").GetBytesFromBase64(), Ct);
        Assert.Equal(1, await PdfTools.ValidSignaturesAsync(path));

        // The evidence, as qpdf hands the attachment out: this document's hash, the signer, the pen's samples.
        var (exit, json) = await PdfTools.RunAsync("qpdf", $"--show-attachment=signature-evidence.json", path);
        Assert.True(exit == 0, json);
        var evidence = JsonDocument.Parse(json).RootElement;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), evidence.GetProperty("document_sha256").GetString());
        Assert.Equal("林示例", evidence.GetProperty("signer").GetString());
        var signature = Assert.Single(evidence.GetProperty("signatures").EnumerateArray());
        Assert.True(signature.GetProperty("fingerprint").GetBoolean());
        Assert.True(signature.GetProperty("samples").GetArrayLength() > 20, "the raw pen samples of the signature");
    }

    [Fact]
    public async Task Pos_places_the_signature_window()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var screen = terminal.Service<ScreenService>();

        await ShowAsync(pc, SamplePdf.Create(), """ "default_mode": "sign", "preview_zoom": "fit_height", "pos": {"left": "100", "top": "150", "width": "500", "height": "300"} """);
        var page = await WaitForPageAsync(terminal);
        pen.Tap(page.Left + 0.5 * page.Width, page.Top + 0.5 * page.Height);
        await WaitUntilAsync(() => screen.IsSigning);

        // The window's OK button sits in its lower right corner: inside 100..600 x 150..450.
        var ok = screen.Buttons().Single(b => b.Id == "sign_ok_button").Bounds;
        Assert.True(ok.Left >= 100 && ok.Right <= 600 && ok.Top >= 150 && ok.Bottom <= 450, $"OK at {ok}");
        Assert.True(ok.Right > 450 && ok.Bottom > 350, $"OK at {ok}: the window's lower right");
    }

    [Fact]
    public async Task With_sign_false_the_document_is_only_shown_and_close_ends_it_without_a_document()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var screen = terminal.Service<ScreenService>();

        await ShowAsync(pc, SamplePdf.Create(), """ "sign": "false", "default_mode": "sign", "preview_zoom": "fit_height" """);
        var page = await WaitForPageAsync(terminal);
        pen.Tap(page.Left + 0.5 * page.Width, page.Top + 0.5 * page.Height);
        await pen.PressAndHoldAsync(page.Left + 0.4 * page.Width, page.Top + 0.4 * page.Height, Hold, Ct);
        Assert.False(screen.IsSigning, "a preview opens no signature window");
        Assert.DoesNotContain(screen.Buttons(), b => b.Id == "sign");

        var close = screen.Buttons().Single(b => b.Id == "finish");
        Assert.Equal("关闭 Close", close.Text);
        await TapButtonAsync(terminal, pen, "finish");
        var signoff = await pc.ReceiveJsonAsync();
        Assert.Equal(("sign_pdf_info", "signoff", "0", "0"), (signoff.GetProperty("function").GetString(), signoff.GetProperty("action").GetString(),
            signoff.GetProperty("code").GetString(), signoff.GetProperty("signatures").GetString()));
        Assert.False(signoff.TryGetProperty("pdf", out _));
    }

    [Fact]
    public async Task With_a_timestamp_authority_configured_each_signature_carries_its_token()
    {
        using var tsa = new LoopbackTimestampAuthority();
        await using var terminal = await RunningTerminal.StartAsync(null, $"--signPdf:timestampUrl={tsa.Url}");
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        using var dir = new TempDir();

        var signed = await SignOnceAsync(terminal, pc, pen, SamplePdf.Create(), 0.3, 0.3);

        Assert.Equal(1, tsa.Requests);
        var signer = new Org.BouncyCastle.Cms.CmsSignedData(PdfTools.LastSignature(signed).Cms).GetSignerInfos().GetSigners().Single();
        Assert.NotNull(signer.UnsignedAttributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASignatureTimeStampToken]);
        var path = Path.Combine(dir.Path, "stamped.pdf");
        await File.WriteAllBytesAsync(path, signed, Ct);
        Assert.Equal(1, await PdfTools.ValidSignaturesAsync(path));
    }

    [Theory]
    [InlineData("rsa-2048")]
    [InlineData("sm2")]
    public async Task The_device_key_algorithm_is_configured(string algorithm)
    {
        await using var terminal = await RunningTerminal.StartAsync(null, $"--signPdf:keyAlgorithm={algorithm}");
        await using var pc = await ConnectAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        using var dir = new TempDir();

        var signed = await SignOnceAsync(terminal, pc, pen, SamplePdf.Create(), 0.3, 0.3);
        var path = Path.Combine(dir.Path, "signed.pdf");
        await File.WriteAllBytesAsync(path, signed, Ct);

        if (algorithm == "rsa-2048")
        {
            Assert.Equal(1, await PdfTools.ValidSignaturesAsync(path));
            return;
        }
        // poppler cannot check SM2: openssl reads the CMS and names the GM/T algorithms.
        var cms = Path.Combine(dir.Path, "signature.der");
        await File.WriteAllBytesAsync(cms, PdfTools.LastSignature(signed).Cms, Ct);
        var (_, parsed) = await PdfTools.RunAsync("openssl", "asn1parse", "-inform", "DER", "-in", cms);
        Assert.Contains("SM2-with-SM3", parsed, StringComparison.Ordinal);
        Assert.Contains(":sm3", parsed, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------ steps

    private static async Task<UosClient> ConnectAsync(RunningTerminal terminal) =>
        await UosClient.ConnectAsync(new Uri($"ws://127.0.0.1:{terminal.CameraPort}/"));

    private static async Task<JsonElement> ShowAsync(UosClient pc, byte[] pdf, string moreParams)
    {
        var extra = string.IsNullOrWhiteSpace(moreParams) ? "" : "," + moreParams;
        await pc.SendAsync("{\"function\":\"show_sign_pdf\",\"params\":{\"base64\":\"" + Convert.ToBase64String(pdf) + "\"" + extra + "}}");
        var answer = await pc.ReceiveJsonAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("show_sign_pdf", answer.GetProperty("function").GetString());
        return answer;
    }

    private static async Task<byte[]> SignOnceAsync(RunningTerminal terminal, UosClient pc, SimPen pen, byte[] pdf, double x, double y)
    {
        Assert.Equal("0", (await ShowAsync(pc, pdf, """ "default_mode": "sign", "preview_zoom": "fit_height" """)).GetProperty("code").GetString());
        var page = await WaitForPageAsync(terminal);
        pen.Tap(page.Left + x * page.Width, page.Top + y * page.Height);
        await SignInTheWindowAsync(terminal, pen);
        var info = await pc.ReceiveJsonAsync();
        Assert.Equal(x, double.Parse(info.GetProperty("pos").GetProperty("x").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 2);
        await TapButtonAsync(terminal, pen, "finish");
        var signoff = await pc.ReceiveJsonAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("0", signoff.GetProperty("code").GetString());
        await WaitUntilAsync(() => terminal.Service<TerminalSession>().Current is null);
        return signoff.GetProperty("pdf").GetBytesFromBase64();
    }

    /// <summary>Waits for the signature window, draws a line across its middle and taps its OK button.</summary>
    private static async Task SignInTheWindowAsync(RunningTerminal terminal, SimPen pen)
    {
        var screen = terminal.Service<ScreenService>();
        await WaitUntilAsync(() => screen.IsSigning);
        var ok = screen.Buttons().Single(b => b.Id == "sign_ok_button").Bounds;
        pen.Line(300, 400, 900, 420);
        await Task.Delay(100, Ct);
        pen.Tap((ok.Left + ok.Right) / 2.0, (ok.Top + ok.Bottom) / 2.0);
        await WaitUntilAsync(() => !screen.IsSigning);
    }

    private static async Task TapButtonAsync(RunningTerminal terminal, SimPen pen, string id)
    {
        var screen = terminal.Service<ScreenService>();
        var button = await WaitForAsync(() => screen.Buttons().SingleOrDefault(b => b.Id == id));
        pen.Tap((button.Bounds.Left + button.Bounds.Right) / 2.0, (button.Bounds.Top + button.Bounds.Bottom) / 2.0);
    }

    /// <summary>The page as the person sees it: the white rectangle on the grey desk, once rendered.</summary>
    private static async Task<SKRect> WaitForPageAsync(RunningTerminal terminal)
    {
        var screen = terminal.Service<ScreenService>();
        SKRect? found = null;
        await WaitUntilAsync(() => (found = WhitePage(Screen(screen))) is not null);
        return found!.Value;
    }

    /// <summary>
    /// Bounds of the page: what is not the grey desk along the row 40% down the screen, and up and down the page's left
    /// margin (no text there), once the page is drawn (white, not the "loading" placeholder's text).
    /// </summary>
    private static SKRect? WhitePage(SKBitmap shot)
    {
        static bool Desk(SKColor c) => Math.Abs(c.Red - 0x5A) < 4 && Math.Abs(c.Green - 0x5A) < 4 && Math.Abs(c.Blue - 0x5A) < 4;
        var y = (int)(shot.Height * 0.4);
        var left = Enumerable.Range(0, shot.Width).FirstOrDefault(x => !Desk(shot.GetPixel(x, y)), -1);
        if (left < 0) return null;
        var right = Enumerable.Range(left, shot.Width - left).Reverse().First(x => !Desk(shot.GetPixel(x, y)));
        var column = left + 3;
        var top = Enumerable.Range(0, y).Reverse().FirstOrDefault(yy => Desk(shot.GetPixel(column, yy)), -1) + 1;
        var bottom = Enumerable.Range(y, shot.Height - y).FirstOrDefault(yy => Desk(shot.GetPixel(column, yy)), shot.Height);
        // The placeholder says "loading" in its middle; the rendered sample page is white there.
        var middle = shot.GetPixel(column, y);
        if (middle.Red < 250 || middle.Green < 250 || middle.Blue < 250) return null;
        return new SKRect(left, top, right + 1, bottom);
    }

    private static SKBitmap Screen(ScreenService screen) => TestImages.Decode(screen.CapturePng());

    private static int DarkPixels(SKBitmap bitmap, SKRectI box)
    {
        var count = 0;
        for (var y = Math.Max(0, box.Top); y < Math.Min(bitmap.Height, box.Bottom); y++)
            for (var x = Math.Max(0, box.Left); x < Math.Min(bitmap.Width, box.Right); x++)
                if (bitmap.GetPixel(x, y) is var c && c.Red < 110 && c.Green < 110 && c.Blue < 110) count++;
        return count;
    }

    private static int BluePixels(SKBitmap bitmap, SKRectI box)
    {
        var count = 0;
        for (var y = Math.Max(0, box.Top); y < Math.Min(bitmap.Height, box.Bottom); y++)
            for (var x = Math.Max(0, box.Left); x < Math.Min(bitmap.Width, box.Right); x++)
                if (bitmap.GetPixel(x, y) is var c && c.Blue > 120 && c.Red < 60 && c.Green < 100) count++;
        return count;
    }

    private static bool Differs(SKBitmap a, SKBitmap b, SKRectI box)
    {
        for (var y = box.Top; y < box.Bottom; y++)
            for (var x = box.Left; x < box.Right; x++)
                if (a.GetPixel(x, y) != b.GetPixel(x, y)) return true;
        return false;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(25, timeout.Token);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> find) where T : class
    {
        T? found = null;
        await WaitUntilAsync(() => (found = find()) is not null);
        return found!;
    }
}
