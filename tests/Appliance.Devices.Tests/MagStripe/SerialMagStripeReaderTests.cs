using Appliance.Devices.MagStripe;
using Appliance.Devices.Serial;
using Appliance.Simulators.MagStripe;
using Appliance.TestSupport;

namespace Appliance.Devices.Tests.MagStripe;

/// <summary>The real serial stripe-reader driver against the pty reader simulator.</summary>
public sealed class SerialMagStripeReaderTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();
    private MagStripeReaderSimulator _sim = null!;
    private SerialMagStripeReader _reader = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = new MagStripeReaderSimulator(_dir.Combine("msr"));
        _sim.Plug();
        _reader = SerialMagStripeReader.Open(_sim.PortPath, 9600);
        await _reader.Link.WaitReadyAsync(Timeout());
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _sim.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Generous).Token;

    [Fact]
    public async Task Reads_tracks_1_2_and_3()
    {
        var swipe = new MagStripeSwipe("B9999990000000006^SAMPLE/CARDHOLDER^3012101", "9999990000000006=3012101", "019999990000000006==000");
        _sim.Swipe(swipe);
        Assert.Equal(swipe, await _reader.ReadSwipeAsync(Generous, Timeout()));
        Assert.True(CardNumbers.HasValidLuhnDigit(MagStripeReaderSimulator.SampleCard.Track2.Split('=')[0]));
    }

    [Fact]
    public async Task Swipe_is_kept_until_taken()
    {
        _sim.Swipe(MagStripeReaderSimulator.SampleCard);
        var deadline = DateTime.UtcNow + Generous;
        MagStripeSwipe? swipe;
        while ((swipe = _reader.TakeLastSwipe()) is null && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Equal(MagStripeReaderSimulator.SampleCard, swipe);
        Assert.Null(_reader.TakeLastSwipe());
    }

    [Fact]
    public async Task Bad_lrc_is_dropped()
    {
        var frame = SerialMagStripeReader.Frame(MagStripeReaderSimulator.SampleCard);
        frame[^1] ^= 0x55;
        _sim.SendRaw(frame);
        _sim.Swipe(new MagStripeSwipe("", "1234", ""));
        Assert.Equal("1234", (await _reader.ReadSwipeAsync(Generous, Timeout())).Track2);
        Assert.Equal(1, _reader.DroppedFrames);
    }

    [Fact]
    public async Task Truncated_frame_is_dropped()
    {
        var frame = SerialMagStripeReader.Frame(MagStripeReaderSimulator.SampleCard);
        _sim.SendRaw(frame[..10]);
        var deadline = DateTime.UtcNow + Generous;
        while (_reader.DroppedFrames == 0 && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        _sim.Swipe(MagStripeReaderSimulator.SampleCard);
        Assert.Equal(MagStripeReaderSimulator.SampleCard, await _reader.ReadSwipeAsync(Generous, Timeout()));
        Assert.Equal(1, _reader.DroppedFrames);
    }

    [Fact]
    public async Task No_swipe_times_out()
    {
        var e = await Assert.ThrowsAsync<MagStripeException>(() => _reader.ReadSwipeAsync(TimeSpan.FromMilliseconds(200), Timeout()));
        Assert.Equal(4, e.SharedCode);
    }

    [Fact]
    public async Task Unplug_mid_swipe_fails_the_wait_then_the_reader_comes_back()
    {
        var waiting = _reader.ReadSwipeAsync(Generous, Timeout());
        _sim.SwipeThenUnplug(MagStripeReaderSimulator.SampleCard);
        var e = await Assert.ThrowsAsync<MagStripeException>(() => waiting);
        Assert.Equal(DeviceErrorKind.Disconnected, e.Kind);

        _sim.Plug();
        await _reader.Link.WaitReadyAsync(Timeout());
        _sim.Swipe(MagStripeReaderSimulator.SampleCard);
        Assert.Equal(MagStripeReaderSimulator.SampleCard, await _reader.ReadSwipeAsync(Generous, Timeout()));
    }
}
