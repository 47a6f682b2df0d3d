using System.Net;
using Appliance.Core.Pairing;
using Appliance.Protocols.Tests.CameraService;
using Appliance.TestSupport;
using Appliance.Ui;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Protocols.Tests.Security;

/// <summary>
/// The terminal's own pairing screens through the real host: the code a PC asks for appears on /sim/screen.png,
/// leaves it when used or cancelled, waits while a task is on screen; the idle screen counts the paired PCs; the
/// paired-PCs page revokes with the sim pen.
/// </summary>
public sealed class PairingScreenTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly string[] OtherPcsMustPair = ["--access:allowLoopback=false", "--pairing:minAttemptIntervalMs=0"];
    private static readonly SKColor CodeDigits = new(0x1F, 0x4E, 0x9A);

    private static async Task<byte[]> ScreenPngAsync(RunningTerminal terminal)
    {
        using var response = await terminal.Http.GetAsync("/sim/screen.png", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>Pixels of the code's colour in the middle band of the screen, where the six digits stand.</summary>
    private static int CodePixels(byte[] png)
    {
        using var shot = SKBitmap.Decode(png);
        var count = 0;
        for (var y = shot.Height * 41 / 100; y < shot.Height * 62 / 100; y += 2)
            for (var x = 0; x < shot.Width; x += 2)
                if (shot.GetPixel(x, y) == CodeDigits) count++;
        return count;
    }

    private static async Task<byte[]> UntilScreenAsync(RunningTerminal terminal, Func<byte[], bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var png = await ScreenPngAsync(terminal);
            if (condition(png)) return png;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what} on /sim/screen.png");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>The idle screen as HomeScreenService leaves it after start-up ("not paired").</summary>
    private static async Task<byte[]> IdleAsync(RunningTerminal terminal)
    {
        var screen = terminal.Service<ScreenService>();
        await UntilAsync(() => screen.IdleInfo.PairingState == "未配对 / not paired", "the idle screen's pairing line");
        return await ScreenPngAsync(terminal);
    }

    private static async Task<string> RequestAsync(LanClient pc, string name)
    {
        var request = await pc.PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = name }, HttpStatusCode.OK);
        return request.GetProperty("data").GetProperty("requestId").GetString()!;
    }

    private static async Task TapAsync(RunningTerminal terminal, SimPen pen, string buttonId)
    {
        var screen = terminal.Service<ScreenService>();
        ScreenButton? button = null;
        await UntilAsync(() => (button = screen.Buttons().FirstOrDefault(b => b.Id == buttonId)) is not null, $"the button {buttonId}");
        pen.Tap(button!.CentreX, button.CentreY);
    }

    [Fact]
    public async Task A_requested_code_is_shown_full_screen_until_used_and_the_idle_screen_counts_the_paired_pcs()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, OtherPcsMustPair);
        var screen = terminal.Service<ScreenService>();
        var idle = await IdleAsync(terminal);
        Assert.Equal(0, CodePixels(idle));
        using var pc = new LanClient(terminal, "127.0.0.2");

        var requestId = await RequestAsync(pc, "Teller 1");
        var shown = terminal.Service<PairingService>().CurrentCode!;
        var withCode = await UntilScreenAsync(terminal, png => CodePixels(png) > 500, "the pairing code");
        Assert.NotEqual(idle, withCode);
        // The screen's model: the code the PC must type, which PC asked and from where.
        Assert.Equal((requestId, shown.Code, "Teller 1", "127.0.0.2"), (screen.PairingCode!.RequestId, screen.PairingCode.Code, screen.PairingCode.PcName, screen.PairingCode.Address));
        Assert.Contains(screen.Buttons(), b => b.Id == "pairing-cancel");

        await pc.ConfirmAsync(requestId, shown.Code);
        var paired = await UntilScreenAsync(terminal, png => CodePixels(png) == 0, "the code to leave the screen");
        Assert.Null(screen.PairingCode);
        Assert.Equal("已配对 1 台电脑 / 1 PC paired", screen.IdleInfo.PairingState);
        Assert.NotEqual(idle, paired);

        // The pairing goes (the PC unpairs itself): the idle screen is exactly what it was before.
        await pc.ManageAsync("unpair", expect: HttpStatusCode.OK);
        await UntilScreenAsync(terminal, png => png.AsSpan().SequenceEqual(idle), "the idle screen as it was before pairing");
        Assert.Equal("未配对 / not paired", screen.IdleInfo.PairingState);
    }

    [Fact]
    public async Task Cancel_on_the_terminal_takes_the_code_away_and_it_no_longer_pairs()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, OtherPcsMustPair);
        var idle = await IdleAsync(terminal);
        using var pc = new LanClient(terminal, "127.0.0.2");
        using var pen = await SimPen.OpenAsync(terminal.StateDir);

        var requestId = await RequestAsync(pc, "Unexpected PC");
        var code = terminal.Service<PairingService>().CurrentCode!.Code;
        await UntilScreenAsync(terminal, png => CodePixels(png) > 500, "the pairing code");
        await TapAsync(terminal, pen, "pairing-cancel");
        await UntilScreenAsync(terminal, png => png.AsSpan().SequenceEqual(idle), "the idle screen after cancel");

        var refused = await pc.PostAsync("/pair/confirm", new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = code }, HttpStatusCode.NotFound);
        Assert.Equal("89009005", refused.GetProperty("status").GetString());
        Assert.Empty(terminal.Service<PairingService>().Store.List());
        Assert.Contains(File.ReadAllLines(Path.Combine(terminal.StateDir, "audit.log")), l => l.Contains("\"command\":\"pair-cancel\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_code_asked_for_during_a_signature_waits_until_the_signature_window_closes()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        var screen = terminal.Service<ScreenService>();
        await IdleAsync(terminal);
        using var pc = new LanClient(terminal, "127.0.0.2");
        await UntilAsync(() => screen.Buttons().Any(b => b.Id == "paired-pcs"), "the idle screen's paired-PCs button");

        Assert.Equal("0", (await terminal.JsonAsync("/sign=start")).Code());
        await UntilAsync(() => screen.IsSigning, "the signature window");
        await RequestAsync(pc, "Teller 2");
        Assert.NotNull(terminal.Service<PairingService>().CurrentCode);
        // The signature keeps the screen: no code on it, no way into the paired-PCs page.
        var signing = await ScreenPngAsync(terminal);
        Assert.Equal(0, CodePixels(signing));
        Assert.Null(screen.PairingCode);
        Assert.DoesNotContain(screen.Buttons(), b => b.Id is "paired-pcs" or "pairing-cancel");

        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop")).Code());
        await UntilScreenAsync(terminal, png => CodePixels(png) > 500, "the pairing code once the signature window closed");
        Assert.Equal(terminal.Service<PairingService>().CurrentCode!.Code, screen.PairingCode!.Code);
    }

    [Fact]
    public async Task A_pc_revoked_with_the_pen_on_the_paired_pcs_page_is_refused()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, OtherPcsMustPair);
        var screen = terminal.Service<ScreenService>();
        using var teller = new LanClient(terminal, "127.0.0.2");
        using var operatorPc = new LanClient(terminal, "127.0.0.3");
        await teller.PairAsync("Teller 1");
        await operatorPc.PairAsync("Operator");
        await UntilAsync(() => screen.PairingCode is null && screen.IdleInfo.PairingState == "已配对 2 台电脑 / 2 PCs paired", "the idle screen with two PCs");
        var idle = await ScreenPngAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);

        await TapAsync(terminal, pen, "paired-pcs");
        await UntilAsync(() => screen.IsPairedPcsPageOpen, "the paired-PCs page");
        var page = await ScreenPngAsync(terminal);
        Assert.NotEqual(idle, page);
        Assert.Equal(2, screen.Buttons().Count(b => b.Id.StartsWith("revoke:", StringComparison.Ordinal)));

        // Revoke asks first; the dialog changes the screen; confirming revokes exactly that PC.
        await TapAsync(terminal, pen, "revoke:" + teller.KeyId);
        var dialog = await UntilScreenAsync(terminal, png => !png.AsSpan().SequenceEqual(page), "the confirmation dialog");
        Assert.Contains(terminal.Service<PairingService>().Store.List(), p => p.KeyId == teller.KeyId);
        await TapAsync(terminal, pen, "confirm-revoke");
        await UntilAsync(() => terminal.Service<PairingService>().Store.Find(teller.KeyId!) is null, "the revocation");
        await UntilScreenAsync(terminal, png => !png.AsSpan().SequenceEqual(dialog), "the page without the dialog");
        Assert.Equal(["revoke:" + operatorPc.KeyId], screen.Buttons().Where(b => b.Id.StartsWith("revoke:", StringComparison.Ordinal)).Select(b => b.Id));

        var list = await operatorPc.ManageAsync("list", expect: HttpStatusCode.OK);
        var names = list.GetProperty("data").GetProperty("pairings").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Operator"], names);
        Assert.Equal((HttpStatusCode.Forbidden, "7"), await teller.CameraAsync());
        Assert.Equal("89000003", (await teller.ManageAsync("list", expect: HttpStatusCode.Unauthorized)).GetProperty("status").GetString());
        // The audit line is written just after the store forgets the PC (on the pen thread): wait for it, then read it.
        await UntilAsync(() => File.ReadAllText(Path.Combine(terminal.StateDir, "audit.log")).Contains("\"command\":\"revoke\"", StringComparison.Ordinal), "the audit line");
        // The audit line is written just after the store forgets the PC (on the pen thread): wait for it, then read it.
        await UntilAsync(() => File.ReadAllText(Path.Combine(terminal.StateDir, "audit.log")).Contains("\"command\":\"revoke\"", StringComparison.Ordinal), "the audit line");
        Assert.Contains(File.ReadAllLines(Path.Combine(terminal.StateDir, "audit.log")),
            l => l.Contains("\"command\":\"revoke\"", StringComparison.Ordinal) && l.Contains("\"port\":\"Terminal\"", StringComparison.Ordinal));

        await TapAsync(terminal, pen, "back");
        await UntilAsync(() => !screen.IsPairedPcsPageOpen, "the idle screen");
        Assert.Equal("已配对 1 台电脑 / 1 PC paired", screen.IdleInfo.PairingState);
    }
}
