using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Session;
using Appliance.Devices.Gpio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Adapters.Indicators;

/// <summary>
/// Drives the LED, buzzer and backlight from the terminal session's task transitions. Event-driven: the session's
/// <see cref="TerminalSession.TaskChanged"/> sets the LED mode and queues beeps; blinking and beep lengths run on
/// <see cref="TimeProvider"/> timers, so tests step them with a fake clock. Owns the lines it opens. A chip that is
/// absent or refuses the lines is reported in /health and the rest of the terminal runs on without indicators.
/// </summary>
public sealed class IndicatorService : IHostedService, IDisposable
{
    /// <summary>The LED is on this long, then off this long, while a task waits for the person.</summary>
    public static readonly TimeSpan BlinkHalfPeriod = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan BeepLength = TimeSpan.FromMilliseconds(120);
    /// <summary>Silence between the two beeps of a double beep, and after every pattern.</summary>
    public static readonly TimeSpan BeepGap = TimeSpan.FromMilliseconds(120);

    private enum LedMode { Off, Steady, Blinking }

    private readonly GpioProfile _profile;
    private readonly IIndicatorChip _chip;
    private readonly TerminalSession _session;
    private readonly DeviceHealthRegistry _health;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Queue<(bool On, TimeSpan Hold)> _buzzerSteps = new();
    private IGpioLines? _lines;
    private ITimer? _blinkTimer;
    private ITimer? _buzzerTimer;
    private LedMode _ledMode = LedMode.Off;
    private bool _ledOn;
    private bool _buzzing;

    public IndicatorService(GpioProfile profile, IIndicatorChip chip, TerminalSession session, DeviceHealthRegistry health,
        TimeProvider time, ILogger<IndicatorService> log)
    {
        _profile = profile;
        _chip = chip;
        _session = session;
        _health = health;
        _time = time;
        _log = log;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var functions = IndicatorLines.Functions(_profile).ToList();
        if (functions.Count == 0)
        {
            _health.Report("gpio", "gpio", DeviceState.NotFitted, _chip.Location, "the board profile's gpio section names no led, buzzer or backlight line");
            return Task.CompletedTask;
        }
        // Requested with their starting levels, so the backlight never flickers: LED on (ready), buzzer quiet, backlight on.
        var wanted = functions.Select(f => new GpioOutputLine(f.Line, f.Function != "buzzer")).ToList();
        IGpioLines lines;
        try
        {
            lines = _chip.RequestOutputs(wanted, IndicatorLines.Consumer);
        }
        catch (GpioException e)
        {
            _log.LogWarning("GPIO: {Message}; the LED, buzzer and backlight are not driven", e.Message);
            _health.Report("gpio", "gpio", e.IsAbsent ? DeviceState.Absent : DeviceState.Faulted, _chip.Location,
                $"{e.Message}; the LED, buzzer and backlight are not driven");
            return Task.CompletedTask;
        }
        lock (_gate)
        {
            _lines = lines;
            _ledMode = LedMode.Steady;
            _ledOn = true;
            _blinkTimer = _time.CreateTimer(_ => OnBlink(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _buzzerTimer = _time.CreateTimer(_ => OnBuzzerStep(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        _session.TaskChanged += OnTaskChanged;
        _health.Report("gpio", "gpio", DeviceState.Ready, _chip.Location,
            $"{lines.Detail}; {string.Join(", ", functions.Select(f => $"{f.Function} {f.Line}"))}");
        return Task.CompletedTask;
    }

    /// <summary>LED and buzzer off, lines released. The backlight line is left to the chip, so the screen stays lit until the next start.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _session.TaskChanged -= OnTaskChanged;
        lock (_gate)
        {
            StopTimers();
            _ledMode = LedMode.Off;
            Write(_profile.Led, false);
            Write(_profile.Buzzer, false);
            _lines?.Dispose();
            _lines = null;
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            StopTimers();
            _lines?.Dispose();
            _lines = null;
        }
    }

    /// <summary>Runs on the thread that moved the task; must not throw into the session.</summary>
    private void OnTaskChanged(TerminalTask task)
    {
        lock (_gate)
        {
            if (_lines is null) return;
            switch (task.State)
            {
                case TaskState.Active:
                    SetLed(LedMode.Blinking);
                    break;
                case TaskState.Completed:
                    SetLed(LedMode.Steady);
                    Beep(times: 1);
                    break;
                case TaskState.TimedOut or TaskState.Failed:
                    SetLed(LedMode.Steady);
                    Beep(times: 2);
                    break;
                default: // the person cancelled, or the PC / shutdown aborted: nothing to draw attention to
                    SetLed(LedMode.Steady);
                    break;
            }
        }
    }

    private void SetLed(LedMode mode)
    {
        if (_ledMode == mode) return;
        _ledMode = mode;
        _ledOn = mode != LedMode.Off;
        Write(_profile.Led, _ledOn);
        if (_profile.Led is not null)
            _blinkTimer?.Change(mode == LedMode.Blinking ? BlinkHalfPeriod : Timeout.InfiniteTimeSpan,
                mode == LedMode.Blinking ? BlinkHalfPeriod : Timeout.InfiniteTimeSpan);
    }

    private void OnBlink()
    {
        lock (_gate)
        {
            if (_lines is null || _ledMode != LedMode.Blinking) return; // a tick that raced the end of the task
            _ledOn = !_ledOn;
            Write(_profile.Led, _ledOn);
        }
    }

    private void Beep(int times)
    {
        if (_profile.Buzzer is null) return;
        for (var i = 0; i < times; i++)
        {
            _buzzerSteps.Enqueue((true, BeepLength));
            _buzzerSteps.Enqueue((false, BeepGap));
        }
        if (!_buzzing) NextBuzzerStep();
    }

    private void OnBuzzerStep()
    {
        lock (_gate)
        {
            if (_lines is null) return;
            NextBuzzerStep();
        }
    }

    private void NextBuzzerStep()
    {
        if (!_buzzerSteps.TryDequeue(out var step))
        {
            _buzzing = false;
            return;
        }
        _buzzing = true;
        Write(_profile.Buzzer, step.On);
        _buzzerTimer?.Change(step.Hold, Timeout.InfiniteTimeSpan);
    }

    private void StopTimers()
    {
        _blinkTimer?.Dispose();
        _buzzerTimer?.Dispose();
        _blinkTimer = _buzzerTimer = null;
        _buzzerSteps.Clear();
        _buzzing = false;
    }

    /// <summary>Drives one line; a chip that fails is reported once and left alone (the terminal goes on without indicators).</summary>
    private void Write(int? line, bool value)
    {
        if (line is not { } offset || _lines is null) return;
        try
        {
            _lines.Write(offset, value);
        }
        catch (GpioException e)
        {
            _log.LogError("GPIO: {Message}; the LED, buzzer and backlight are no longer driven", e.Message);
            _health.Report("gpio", "gpio", DeviceState.Faulted, _chip.Location, $"{e.Message}; the LED, buzzer and backlight are no longer driven");
            StopTimers();
            _lines.Dispose();
            _lines = null;
        }
    }
}
