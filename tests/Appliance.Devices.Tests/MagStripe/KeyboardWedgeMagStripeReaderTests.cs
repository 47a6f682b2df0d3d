using Appliance.Devices.Interop;
using Appliance.Devices.MagStripe;
using Appliance.Devices.Pen;
using Appliance.Devices.Serial;
using Appliance.Simulators.MagStripe;
using Appliance.TestSupport;

namespace Appliance.Devices.Tests.MagStripe;

/// <summary>
/// The real keyboard-wedge stripe reader driver, fed <c>input_event</c> records through a FIFO the way an evdev node
/// yields them (the pen tests do the same). The FIFO is opened read-only, so the writer closing is the device
/// vanishing; removing the FIFO keeps it gone until it is made again.
/// </summary>
public sealed class KeyboardWedgeMagStripeReaderTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();
    private string _path = null!;
    private KeyboardWedgeMagStripeReader _reader = null!;
    private Stream? _device;

    public async ValueTask InitializeAsync()
    {
        _path = _dir.Combine("event-msr");
        PenPipe.Create(_path);
        await StartAsync(quietGap: null);
    }

    /// <param name="quietGap">How long a swipe without Enter may pause before it counts as cut off (null: the driver's default).</param>
    private async Task StartAsync(TimeSpan? quietGap)
    {
        _reader = new KeyboardWedgeMagStripeReader(new SerialLink("magStripe", OpenFifo, null,
            (kind, message, inner) => new MagStripeException(kind, message, inner), retryInterval: TimeSpan.FromMilliseconds(100)), quietGap);
        await PlugAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _device?.Dispose();
        await _reader.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Generous).Token;

    /// <summary>The driver's side of the FIFO, as the driver opens an evdev node: read-only, polled, hang-up seen.</summary>
    private Stream OpenFifo()
    {
        var fd = Libc.Open(_path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0) throw new FileNotFoundException($"{_path}: {Libc.StrError(Libc.LastErrno)}", _path);
        return TtyStream.FromDescriptor(fd, _path);
    }

    private async Task PlugAsync()
    {
        await _reader.Link.WaitReadyAsync(Timeout());
        _device = PenPipe.OpenForWriting(_path);
    }

    /// <summary>One write: a whole swipe fits the pipe's buffer, so no pause inside it can pass for a cut-off swipe.</summary>
    private void Type(IEnumerable<InputEvent> events) => PenPipe.Write(_device!, events.ToArray());

    [Fact]
    public async Task A_swipe_typed_with_shift_yields_tracks_1_2_and_3()
    {
        var swipe = new MagStripeSwipe("B9999990000000006^SAMPLE/CARDHOLDER^3012101", "9999990000000006=3012101", "019999990000000006==000");
        var waiting = _reader.ReadSwipeAsync(Generous, Timeout());
        Type(WedgeKeys.Swipe(swipe));
        Assert.Equal(swipe, await waiting);
        Assert.Equal(0, _reader.GarbledSwipes);
    }

    [Fact]
    public async Task A_swipe_nobody_waits_for_is_kept_until_taken()
    {
        Type(WedgeKeys.Swipe(MagStripeReaderSimulator.SampleCard));
        var deadline = DateTime.UtcNow + Generous;
        MagStripeSwipe? swipe;
        while ((swipe = _reader.TakeLastSwipe()) is null && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Equal(MagStripeReaderSimulator.SampleCard, swipe);
        Assert.Null(_reader.TakeLastSwipe());
    }

    [Fact]
    public async Task A_garbled_swipe_fails_the_read_with_its_own_error_and_the_next_swipe_reads()
    {
        var waiting = _reader.ReadSwipeAsync(Generous, Timeout());
        Type(WedgeKeys.Line("%B9999990000000006^SAMPLE?;99999900Q0000006=3012?"));
        var e = await Assert.ThrowsAsync<MagStripeException>(() => waiting);
        Assert.Equal(DeviceErrorKind.Corrupt, e.Kind);
        Assert.Equal(3, e.SharedCode);
        Assert.Contains("swipe again", e.Message);
        Assert.Contains("track 2 holds 'Q'", e.Message);

        var again = _reader.ReadSwipeAsync(Generous, Timeout());
        Type(WedgeKeys.Swipe(MagStripeReaderSimulator.SampleCard));
        Assert.Equal(MagStripeReaderSimulator.SampleCard, await again);
        Assert.Equal(1, _reader.GarbledSwipes);
    }

    [Fact]
    public async Task A_swipe_cut_off_before_enter_fails_the_read()
    {
        var waiting = _reader.ReadSwipeAsync(Generous, Timeout());
        Type(WedgeKeys.Text("%B9999990000000006^SAMP"));   // no Enter: the reader stopped mid-swipe
        var e = await Assert.ThrowsAsync<MagStripeException>(() => waiting);
        Assert.Equal(DeviceErrorKind.Corrupt, e.Kind);
        Assert.Contains("stopped before Enter after 23 characters", e.Message);
    }

    [Fact]
    public async Task Events_the_kernel_dropped_mid_swipe_fail_the_read()
    {
        var waiting = _reader.ReadSwipeAsync(Generous, Timeout());
        Type([.. WedgeKeys.Text("%B99999"), InputEvent.At(0, InputCodes.EV_SYN, InputCodes.SYN_DROPPED, 0), .. WedgeKeys.Line("0006?")]);
        var e = await Assert.ThrowsAsync<MagStripeException>(() => waiting);
        Assert.Contains("SYN_DROPPED", e.Message);
    }

    [Fact]
    public async Task The_device_vanishing_fails_the_wait_shows_absent_then_the_reader_comes_back()
    {
        // A reader that never counts a pause as a cut-off swipe: the half swipe below must end by the unplug alone.
        _device!.Dispose();
        await _reader.DisposeAsync();
        await StartAsync(quietGap: TimeSpan.FromHours(1));

        var waiting = _reader.ReadSwipeAsync(Generous, Timeout());
        Type(WedgeKeys.Text("%B9999"));
        File.Delete(_path);          // the node is gone ...
        _device!.Dispose();          // ... and the open descriptor hangs up
        var e = await Assert.ThrowsAsync<MagStripeException>(() => waiting);
        Assert.Equal(DeviceErrorKind.Disconnected, e.Kind);

        var absent = await Assert.ThrowsAsync<MagStripeException>(() => _reader.ReadSwipeAsync(Generous, Timeout()));
        Assert.Equal(2, absent.SharedCode);
        Assert.Contains("not connected", absent.Message);

        PenPipe.Create(_path);       // plugged back in
        await PlugAsync();
        var again = _reader.ReadSwipeAsync(Generous, Timeout());
        Type(WedgeKeys.Swipe(MagStripeReaderSimulator.SampleCard));
        Assert.Equal(MagStripeReaderSimulator.SampleCard, await again);
        Assert.Equal(0, _reader.GarbledSwipes);   // the half swipe before the unplug is not a bad swipe
    }

    [Fact]
    public async Task A_device_name_nobody_has_is_absent_and_a_node_that_cannot_be_grabbed_is_faulted()
    {
        using var input = new TempDir();
        PenPipe.Create(input.Combine("event3"));   // a node that is not evdev: no name, no grab
        await using var byName = KeyboardWedgeMagStripeReader.Open("USB Swipe Reader", input.Path);
        await WaitUntilAsync(() => byName.Link.State == SerialLinkState.Absent);
        Assert.Contains("no keyboard input device named \"USB Swipe Reader\"", byName.Link.Detail);
        Assert.Contains("event3", byName.Link.Detail);

        await using var byPath = KeyboardWedgeMagStripeReader.Open(input.Combine("event3"), input.Path);
        await WaitUntilAsync(() => byPath.Link.State == SerialLinkState.Faulted);
        Assert.Contains("cannot grab", byPath.Link.Detail);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>What a wedge reader emits to type text: per character, Shift if needed, MSC_SCAN, press, release, SYN_REPORT.</summary>
internal static class WedgeKeys
{
    private const ushort MscScan = 4;
    private static long _t = 1_700_000_000_000_000;

    public static IEnumerable<InputEvent> Swipe(MagStripeSwipe swipe) =>
        Line((swipe.Track1.Length > 0 ? $"%{swipe.Track1}?" : "") + (swipe.Track2.Length > 0 ? $";{swipe.Track2}?" : "") + (swipe.Track3.Length > 0 ? $";{swipe.Track3}?" : ""));

    public static IEnumerable<InputEvent> Line(string text) => [.. Text(text), .. Key(InputCodes.KEY_ENTER, shift: null)];

    public static IEnumerable<InputEvent> Text(string text)
    {
        var shift = InputCodes.KEY_LEFTSHIFT;
        foreach (var c in text)
        {
            var (code, shifted) = CodeOf(c);
            // Alternate the Shift keys so both are exercised.
            if (shifted) shift = shift == InputCodes.KEY_LEFTSHIFT ? InputCodes.KEY_RIGHTSHIFT : InputCodes.KEY_LEFTSHIFT;
            foreach (var e in Key(code, shifted ? shift : null)) yield return e;
        }
    }

    private static IEnumerable<InputEvent> Key(ushort code, ushort? shift)
    {
        if (shift is { } s) yield return Ev(InputCodes.EV_KEY, s, 1);
        yield return Ev(InputCodes.EV_MSC, MscScan, 0x70000 + code);
        yield return Ev(InputCodes.EV_KEY, code, 1);
        yield return Ev(InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0);
        yield return Ev(InputCodes.EV_KEY, code, 0);
        if (shift is { } r) yield return Ev(InputCodes.EV_KEY, r, 0);
        yield return Ev(InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0);
    }

    /// <summary>The key (main block first) that types <paramref name="c"/>, and whether Shift is needed.</summary>
    private static (ushort Code, bool Shift) CodeOf(char c)
    {
        for (ushort code = 0; code < 99; code++)
        {
            if (UsKeyboardLayout.Character(code, shift: false) == c) return (code, false);
            if (UsKeyboardLayout.Character(code, shift: true) == c) return (code, true);
        }
        throw new ArgumentException($"'{c}' is not on a US keyboard");
    }

    private static InputEvent Ev(ushort type, ushort code, int value) => InputEvent.At(_t += 1000, type, code, value);
}
