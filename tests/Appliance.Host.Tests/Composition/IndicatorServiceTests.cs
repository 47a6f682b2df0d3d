using Appliance.Adapters.Indicators;
using Appliance.Core.Board;
using Appliance.Core.Capture;
using Appliance.Core.Health;
using Appliance.Core.Journal;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.SimBoard;
using Appliance.Simulators.Gpio;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Appliance.Host.Tests.Composition;

/// <summary>
/// The LED, buzzer and backlight logic on the simulated chip (the real driver underneath), driven by a real terminal
/// session whose clock and the indicator timers are one fake clock: blinking and beeps are counted on the chip's
/// lines after stepping the clock, never timed.
/// </summary>
public sealed class IndicatorServiceTests : IAsyncDisposable
{
    private const int Led = 0, Buzzer = 1, Backlight = 2;
    private static readonly TaskRequester Pc = new("uos", "192.0.2.10", "uos-1");
    private static readonly ScreenPrompt SignHere = new("请签名 / Sign", "");
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly TempDir _state = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly SimulatedGpioChip _chip = new(lineCount: 8);
    private readonly DeviceHealthRegistry _health = new();
    private readonly TerminalSession _session;
    private readonly IndicatorService _indicators;

    public IndicatorServiceTests()
    {
        var journal = new ResultsJournal(_state.Path, new JournalOptions(), TimeProvider.System, NullLogger<ResultsJournal>.Instance);
        _session = new TerminalSession(journal, new FakeScreen(), _clock, NullLogger<TerminalSession>.Instance);
        _indicators = Indicators(new SimulatedIndicatorChip(_chip));
    }

    private IndicatorService Indicators(IIndicatorChip chip) =>
        new(new GpioProfile { Chip = -1, Led = Led, Buzzer = Buzzer, Backlight = Backlight }, chip,
            _session, _health, _clock, NullLogger<IndicatorService>.Instance);

    public async ValueTask DisposeAsync()
    {
        await _indicators.StopAsync(CancellationToken.None);
        _indicators.Dispose();
        _state.Dispose();
    }

    private StartAttempt StartSign(FakeSignatureCapture capture, TimeSpan timeout) =>
        _session.TryStart(TaskKind.Sign, Pc, timeout, SignHere, async cancel =>
        {
            var outcome = await capture.ShowSignatureAsync(new SignatureWindowOptions { PenWidth = 4 }, cancel);
            return outcome is SignatureOutcome.Confirmed signed ? TaskProduct.Result([new("signature", signed.Png)]) : TaskProduct.CancelledByPerson;
        });

    private void Step(TimeSpan by, int times = 1)
    {
        for (var i = 0; i < times; i++) _clock.Advance(by);
    }

    [Fact]
    public async Task At_start_the_backlight_and_led_are_on_the_buzzer_quiet_and_health_names_the_chip_and_lines()
    {
        await _indicators.StartAsync(_cancel);

        Assert.True(_chip.Line(Backlight).Value);
        Assert.True(_chip.Line(Led).Value);
        Assert.False(_chip.Line(Buzzer).Value);
        Assert.Equal(1, _chip.Line(Backlight).Changes); // requested lit: no dark flash before it is switched on
        Assert.All(new[] { Led, Buzzer, Backlight }, l => Assert.Equal("appliance", _chip.Line(l).Consumer));
        var gpio = _health.Get("gpio")!;
        Assert.Equal(DeviceState.Ready, gpio.State);
        Assert.Equal("sim", gpio.Location);
        Assert.Equal("gpiochip0 \"appliance-sim-gpio\", 8 lines, uAPI v2; led 0, buzzer 1, backlight 2", gpio.Detail);
    }

    [Fact]
    public async Task A_signing_blinks_the_led_while_on_screen_and_beeps_once_when_signed()
    {
        await _indicators.StartAsync(_cancel);
        var capture = new FakeSignatureCapture();
        var attempt = StartSign(capture, TimeSpan.FromMinutes(3));
        await capture.WaitForWindowAsync(_cancel);
        var ledChanges = _chip.Line(Led).Changes;

        Step(IndicatorService.BlinkHalfPeriod, times: 10);

        Assert.Equal(ledChanges + 10, _chip.Line(Led).Changes); // one toggle per half period: five blinks
        Assert.True(_chip.Line(Led).Value);                      // an even number of toggles: on again
        Assert.Equal(0, _chip.Line(Buzzer).Rises);

        capture.Sign(TestImages.SignaturePng());
        var entry = await attempt.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);
        Assert.Equal(TaskState.Completed, entry.State);
        Assert.True(_chip.Line(Buzzer).Value); // the beep is sounding by the time the result is out
        Step(IndicatorService.BeepLength);
        Assert.False(_chip.Line(Buzzer).Value);

        var steady = _chip.Line(Led).Changes;
        Step(IndicatorService.BlinkHalfPeriod, times: 10);
        Assert.Equal(steady, _chip.Line(Led).Changes); // idle again: steady on, no more toggles
        Assert.True(_chip.Line(Led).Value);
        Assert.Equal(1, _chip.Line(Buzzer).Rises);
    }

    [Fact]
    public async Task Nobody_signing_times_out_with_a_double_beep()
    {
        await _indicators.StartAsync(_cancel);
        var capture = new FakeSignatureCapture();
        var attempt = StartSign(capture, TimeSpan.FromSeconds(30));
        await capture.WaitForWindowAsync(_cancel);

        Step(TimeSpan.FromSeconds(30));
        var entry = await attempt.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);

        Assert.Equal(TaskState.TimedOut, entry.State);
        Assert.Equal(1, _chip.Line(Buzzer).Rises);
        Step(IndicatorService.BeepLength);
        Assert.False(_chip.Line(Buzzer).Value);
        Step(IndicatorService.BeepGap);
        Assert.Equal(2, _chip.Line(Buzzer).Rises);
        Step(IndicatorService.BeepLength);
        Step(TimeSpan.FromSeconds(5));
        Assert.False(_chip.Line(Buzzer).Value);
        Assert.Equal(2, _chip.Line(Buzzer).Rises);
        Assert.True(_chip.Line(Led).Value);
    }

    [Fact]
    public async Task A_device_failure_double_beeps_and_the_person_cancelling_gives_no_beep()
    {
        await _indicators.StartAsync(_cancel);
        var failing = _session.TryStart(TaskKind.Fingerprint, Pc, TimeSpan.FromSeconds(5), new ScreenPrompt("finger", ""),
            _ => throw new CaptureException(CaptureFailure.DeviceAbsent, "sensor unplugged"));
        Assert.Equal(TaskState.Failed, (await failing.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel)).State);
        Step(IndicatorService.BeepLength + IndicatorService.BeepGap, times: 3);
        Assert.Equal(2, _chip.Line(Buzzer).Rises);

        var capture = new FakeSignatureCapture();
        var cancelled = StartSign(capture, TimeSpan.FromMinutes(3));
        await capture.WaitForWindowAsync(_cancel);
        capture.PressReturn();
        Assert.Equal(TaskState.CancelledByPerson, (await cancelled.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel)).State);
        Step(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _chip.Line(Buzzer).Rises);
        Assert.True(_chip.Line(Led).Value);
    }

    [Fact]
    public async Task Stopping_turns_the_led_and_buzzer_off_and_releases_the_lines()
    {
        await _indicators.StartAsync(_cancel);
        var capture = new FakeSignatureCapture();
        StartSign(capture, TimeSpan.FromMinutes(3));
        await capture.WaitForWindowAsync(_cancel);

        await _session.ShutdownAsync("the terminal is shutting down", _cancel);
        await _indicators.StopAsync(_cancel);

        Assert.False(_chip.Line(Led).Value);
        Assert.False(_chip.Line(Buzzer).Value);
        Assert.Equal(0, _chip.Line(Buzzer).Rises); // an aborted task is not announced with a beep
        Assert.True(_chip.Line(Backlight).Value);  // left to the chip: the screen stays lit through a restart
        Assert.All(new[] { Led, Buzzer, Backlight }, l => Assert.Null(_chip.Line(l).Consumer));
        var changes = _chip.Line(Led).Changes;
        Step(IndicatorService.BlinkHalfPeriod, times: 4);
        Assert.Equal(changes, _chip.Line(Led).Changes);
    }

    [Fact]
    public async Task An_absent_chip_is_reported_absent_and_tasks_still_run()
    {
        var path = $"/dev/gpiochip-appliance-test-{Environment.ProcessId}";
        var indicators = Indicators(new GpioChipNode(path));
        await indicators.StartAsync(_cancel);

        var gpio = _health.Get("gpio")!;
        Assert.Equal(DeviceState.Absent, gpio.State);
        Assert.StartsWith($"cannot open {path}: ", gpio.Detail);
        Assert.EndsWith("the LED, buzzer and backlight are not driven", gpio.Detail);
        var capture = new FakeSignatureCapture { AnswerImmediately = FakeSignatureCapture.Signed(TestImages.SignaturePng()) };
        var entry = await StartSign(capture, TimeSpan.FromMinutes(3)).Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);
        Assert.Equal(TaskState.Completed, entry.State);
        await indicators.StopAsync(_cancel);
    }

    [Fact]
    public async Task A_chip_that_goes_away_faults_health_and_the_session_goes_on()
    {
        await _indicators.StartAsync(_cancel);
        _chip.Vanish();

        var capture = new FakeSignatureCapture();
        var attempt = StartSign(capture, TimeSpan.FromMinutes(3));
        await capture.WaitForWindowAsync(_cancel);
        capture.Sign(TestImages.SignaturePng());
        Assert.Equal(TaskState.Completed, (await attempt.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel)).State);

        var gpio = _health.Get("gpio")!;
        Assert.Equal(DeviceState.Faulted, gpio.State);
        Assert.StartsWith("setting line 0 of sim:gpiochip0 to ", gpio.Detail);
        Assert.EndsWith("the LED, buzzer and backlight are no longer driven", gpio.Detail);
        Assert.Null(_chip.Line(Led).Consumer); // released
    }
}
