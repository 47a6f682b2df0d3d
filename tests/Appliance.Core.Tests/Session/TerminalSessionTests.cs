using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Appliance.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Core.Tests.Session;

public sealed class TerminalSessionTests : IDisposable
{
    private static readonly TaskRequester Pc = new("uos", "192.0.2.10", "uos-1");
    private static readonly ScreenPrompt SignHere = new("请签名 / Sign", "");
    private static readonly TimeSpan OutcomeShownFor = TimeSpan.FromMilliseconds(300);
    private readonly TempDir _state = new();
    private readonly ResultsJournal _journal;
    private readonly FakeScreen _screen = new();
    private readonly TerminalSession _session;
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public TerminalSessionTests()
    {
        _journal = new ResultsJournal(_state.Path, new JournalOptions(), TimeProvider.System, NullLogger<ResultsJournal>.Instance);
        _session = new TerminalSession(_journal, _screen, TimeProvider.System, NullLogger<TerminalSession>.Instance, OutcomeShownFor);
    }

    public void Dispose() => _state.Dispose();

    private StartAttempt StartSign(FakeSignatureCapture capture, TimeSpan? timeout = null) =>
        _session.TryStart(TaskKind.Sign, Pc, timeout ?? TimeSpan.FromMinutes(5), SignHere, async cancel =>
        {
            var outcome = await capture.ShowSignatureAsync(new SignatureWindowOptions { PenWidth = 4 }, cancel);
            return outcome is SignatureOutcome.Confirmed signed ? TaskProduct.Result([new("signature", signed.Png)]) : TaskProduct.CancelledByPerson;
        });

    [Fact]
    public void The_transition_table_allows_only_the_documented_moves()
    {
        Assert.Equal(TaskState.Active, TaskTransitions.Next(TaskState.Pending, TaskTrigger.Open));
        Assert.Equal(TaskState.Completed, TaskTransitions.Next(TaskState.Active, TaskTrigger.Complete));
        Assert.Equal(TaskState.TimedOut, TaskTransitions.Next(TaskState.Active, TaskTrigger.Timeout));
        Assert.Null(TaskTransitions.Next(TaskState.Completed, TaskTrigger.Timeout)); // too late: the first trigger won
        Assert.Throws<InvalidOperationException>(() => TaskTransitions.Next(TaskState.Pending, TaskTrigger.Complete));
        foreach (var ((from, _), to) in TaskTransitions.All)
        {
            Assert.False(from.IsFinal());
            Assert.NotEqual(TaskState.Pending, to);
        }
    }

    [Fact]
    public async Task A_signature_is_journaled_before_the_task_reports_it_and_the_screen_says_so_then_returns_to_idle()
    {
        var capture = new FakeSignatureCapture();
        var attempt = StartSign(capture);
        Assert.True(attempt.IsStarted);
        await capture.WaitForWindowAsync(_cancel);
        Assert.Equal(TaskState.Active, attempt.Started!.State);
        Assert.Equal(SignHere, _session.Prompt);

        var png = TestImages.SignaturePng();
        capture.Sign(png);
        var entry = await attempt.Started.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);

        Assert.Equal(TaskState.Completed, entry.State);
        Assert.Equal(png, _journal.Read(entry)!.Image("signature"));
        Assert.Null(_session.Current);
        Assert.Equal("签名完成 / Signature done", _screen.Shown[^1]!.Title);
        Assert.Equal("欢迎使用 / Welcome", _session.Prompt.Title);
        await WaitUntilAsync(() => _screen.Shown[^1] is null, "the idle screen after the outcome");
    }

    [Fact]
    public async Task A_timed_out_task_says_so_with_the_reason_and_a_new_task_takes_the_screen_from_the_outcome()
    {
        var capture = new FakeSignatureCapture();
        var entry = await StartSign(capture, TimeSpan.FromMilliseconds(100)).Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);
        Assert.Equal(TaskState.TimedOut, entry.State);
        Assert.Equal(new ScreenPrompt("已超时 / Timed out", "0 秒内无操作 / nothing happened within 0 s"), _screen.Shown[^1]);

        var next = StartSign(new FakeSignatureCapture());
        Assert.True(next.IsStarted);
        await WaitUntilAsync(() => _screen.Shown[^1] is null, "the outcome cleared for the signature window");
        var count = _screen.Shown.Count;
        await Task.Delay(OutcomeShownFor * 2, _cancel);
        Assert.Equal(count, _screen.Shown.Count); // the old outcome's timer did not touch the new task's screen
        next.Started!.Abort("test over");
    }

    [Fact]
    public void Every_final_state_has_words_for_the_person()
    {
        foreach (var kind in Enum.GetValues<TaskKind>())
        foreach (var state in Enum.GetValues<TaskState>().Where(s => s.IsFinal()))
        {
            var prompt = TaskWords.Outcome(kind, state, CaptureFailure.DeviceAbsent, "the sensor is unplugged");
            Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}.* / [A-Z]", prompt.Title); // Chinese first, English beside it
        }
        Assert.Equal("设备未连接 / Device not connected", TaskWords.Outcome(TaskKind.Fingerprint, TaskState.Failed, CaptureFailure.DeviceAbsent, "x").Title);
        Assert.Equal("未能完成 / Could not finish", TaskWords.Outcome(TaskKind.Fingerprint, TaskState.Failed, CaptureFailure.DeviceFailed, "x").Title);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} never came");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_second_task_is_refused_as_busy_and_the_first_goes_on()
    {
        var capture = new FakeSignatureCapture();
        var first = StartSign(capture);
        await capture.WaitForWindowAsync(_cancel);

        var second = StartSign(new FakeSignatureCapture());

        Assert.False(second.IsStarted);
        Assert.Same(first.Started, second.BusyWith);
        capture.PressReturn();
        var entry = await first.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);
        Assert.Equal(TaskState.CancelledByPerson, entry.State);
        Assert.True(StartSign(new FakeSignatureCapture { AnswerImmediately = new SignatureOutcome.Cancelled(null) }).IsStarted);
    }

    [Fact]
    public async Task Nobody_signing_times_out_and_the_timeout_is_journaled()
    {
        var attempt = StartSign(new FakeSignatureCapture(), TimeSpan.FromMilliseconds(200));
        var entry = await attempt.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);
        Assert.Equal(TaskState.TimedOut, entry.State);
        Assert.Contains("0 s", _journal.Read(entry)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_and_device_failures_end_the_task_with_their_state()
    {
        var capture = new FakeSignatureCapture();
        var attempt = StartSign(capture);
        await capture.WaitForWindowAsync(_cancel);
        attempt.Started!.Abort("closed by the PC");
        var aborted = await attempt.Started.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);
        Assert.Equal(TaskState.Aborted, aborted.State);
        Assert.Equal("closed by the PC", _journal.Read(aborted)!.Message);

        var failing = _session.TryStart(TaskKind.Fingerprint, Pc, TimeSpan.FromSeconds(5), new ScreenPrompt("finger", ""),
            _ => throw new CaptureException(CaptureFailure.DeviceAbsent, "sensor unplugged"));
        var failed = await failing.Started!.Finished.WaitAsync(TimeSpan.FromSeconds(30), _cancel);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal(CaptureFailure.DeviceAbsent, _journal.Read(failed)!.Failure);
        Assert.Contains(_screen.Shown, p => p?.Title == "finger");
    }

    [Fact]
    public async Task Shutdown_aborts_the_task_on_screen_journals_it_and_refuses_new_ones()
    {
        var capture = new FakeSignatureCapture();
        var attempt = StartSign(capture);
        await capture.WaitForWindowAsync(_cancel);

        await _session.ShutdownAsync("shutting down", _cancel);

        Assert.Equal(TaskState.Aborted, attempt.Started!.State);
        var pending = Assert.Single(_journal.Undelivered("uos", Pc.Peer));
        Assert.Equal(TaskState.Aborted, pending.State);
        Assert.Throws<ObjectDisposedException>(() => StartSign(capture));
    }
}
