using Appliance.Core.Screen;
using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Ui;

// ScreenGallery OUT_DIR [--scale 1.5] [--font PATH]
// Renders every window of the terminal's screen on a 1280x800 in-memory panel, one PNG per window, as the person sees it.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: ScreenGallery OUT_DIR [--scale 1.5] [--font PATH]");
    return 2;
}
var output = Directory.CreateDirectory(args[0]).FullName;
var scale = Option("--scale") is { } s ? float.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 1f;
var font = Option("--font") ?? "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

var gallery = new Gallery(output, font, scale);
await gallery.SignatureAsync();
await gallery.EvaluationAsync();
await gallery.FloatingButtonsAsync();
await gallery.DocumentAsync();
gallery.Prompts();
gallery.IdleAndPairing();
Console.WriteLine($"wrote {gallery.Written} pictures to {output}");
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

internal sealed class Gallery(string output, string font, float scale)
{
    private static readonly IdleScreenInfo Idle = new() { TerminalName = "SIGN-10 0042", Addresses = ["192.0.2.10"], PairingState = "已配对 2 台电脑 / 2 PCs paired" };

    public int Written { get; private set; }

    public async Task SignatureAsync()
    {
        using var screen = NewScreen();
        using var close = new CancellationTokenSource();
        var window = screen.ShowSignatureAsync(new SignatureWindowOptions(), close.Token);
        while (!screen.IsSigning) await Task.Delay(10);
        Save(screen, "signature");
        await close.CancelAsync();
        try { await window; } catch (OperationCanceledException) { }
    }

    public async Task EvaluationAsync()
    {
        using var screen = NewScreen();
        using var close = new CancellationTokenSource();
        var window = screen.ShowEvaluationAsync(new EvaluationWindowOptions(), close.Token);
        while (screen.Buttons().Count < 4) await Task.Delay(10);
        Save(screen, "evaluation");
        await close.CancelAsync();
        try { await window; } catch (OperationCanceledException) { }
    }

    public async Task FloatingButtonsAsync()
    {
        using var screen = NewScreen();
        await screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions(), CancellationToken.None);
        Save(screen, "floating-buttons");
    }

    public async Task DocumentAsync()
    {
        using var screen = NewScreen();
        var pdf = Appliance.TestSupport.SamplePdf.Create(pages: 3, title: "Loan agreement No. 2026-1207");
        using var view = screen.ShowDocument(new Appliance.Core.Documents.DocumentViewOptions
        {
            Pdf = pdf,
            Caption = Appliance.Core.Documents.DocumentSigning.CaptionFor(pdf, "林示例"),
            Zoom = Appliance.Core.Documents.DocumentZoom.FitHeight,
        });
        var before = screen.FrameVersion;
        while (screen.FrameVersion == before) await Task.Delay(10); // the page arrives from the render-ahead worker
        Save(screen, "document");
    }

    public void Prompts()
    {
        using var screen = NewScreen();
        screen.ShowPrompt(new PromptOptions { Text = "请将手指放在指纹仪上 / Place your finger on the sensor", Detail = "剩余 5 秒 / 5 s left", Progress = 0.4 });
        Save(screen, "prompt-fingerprint");
        screen.ShowPrompt(new PromptOptions { Text = "请将身份证放在读卡区 / Place the ID card on the reader" });
        Save(screen, "prompt-id-card");
        screen.ShowPrompt(new PromptOptions { Text = "签名完成 / Signature done" });
        Save(screen, "outcome-done");
        screen.ShowPrompt(new PromptOptions { Text = "已超时 / Timed out", Detail = "180 秒内无操作 / nothing happened within 180 s" });
        Save(screen, "outcome-timed-out");
    }

    public void IdleAndPairing()
    {
        using var screen = NewScreen();
        var pcs = Enumerable.Range(1, 6).Select(i => new PairedPcView($"pc_{i}", $"柜台 PC-0{i}", $"192.0.2.{i + 10}", DateTimeOffset.UtcNow.AddDays(-i))).ToList();
        screen.SetPairedPcsMenu(new PairedPcsMenu { List = () => pcs, Revoke = _ => { } });
        screen.ShowIdle(Idle);
        Save(screen, "idle");
        screen.ShowPairingCode(new PairingCodeOptions
        {
            RequestId = "r1", Code = "305172", PcName = "柜台 PC-07", Address = "192.0.2.17", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(2), Cancel = () => { },
        });
        Save(screen, "pairing-code");
        screen.ClearPairingCode();
        Tap(screen, "paired-pcs");
        Save(screen, "paired-pcs");
        Tap(screen, screen.Buttons().First(b => b.Id.StartsWith("revoke:", StringComparison.Ordinal)).Id);
        Save(screen, "revoke-dialog");
    }

    private ScreenService NewScreen()
    {
        var screen = new ScreenService(new MemoryFramebuffer(1280, 800), new ScreenSettings { CjkFontPath = font });
        // Large-text mode (issue 23); a build before it has no such property, and this line is dropped there.
        screen.TextScale = scale;
        screen.ShowIdle(Idle);
        return screen;
    }

    private static void Tap(ScreenService screen, string id)
    {
        var button = screen.Buttons().Single(b => b.Id == id);
        var (x, y) = ((float)button.CentreX, (float)button.CentreY);
        screen.HandlePen(new PenPoint(x, y, 0.5f, null, null, true, 1_000));
        screen.HandlePen(new PenPoint(x, y, 0, null, null, false, 2_000));
    }

    private void Save(ScreenService screen, string name)
    {
        File.WriteAllBytes(Path.Combine(output, name + ".png"), screen.CapturePng());
        Written++;
    }
}
