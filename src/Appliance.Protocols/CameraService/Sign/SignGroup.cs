using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Hosting;

namespace Appliance.Protocols.CameraService.Sign;

/// <summary>
/// <c>sign=</c> (seed 003 §9): the signature window (start/stop/get/status/reset_status), the evaluation window,
/// the floating button group, the advertising carousel, the sign-screen MJPEG stream and the device reset.
/// The signature and evaluation windows are interactive tasks of the <see cref="TerminalSession"/>: one at a time
/// across UOS and CameraService (busy = 9), each outcome journaled before <c>sign=get</c> can hand it out. The windows
/// are the <see cref="ITerminalScreen"/>'s: UOS <c>getsign</c> opens the same signature window through the same port.
/// </summary>
public sealed partial class SignGroup(ITerminalScreen screen, TerminalSession session, TerminalSessionOptions sessionOptions,
    ResultsJournal journal, SignTasks tasks, IHostApplicationLifetime lifetime, SignStreamOptions streamOptions, Pictures.PagePictures pictures) : ICameraServiceGroup
{
    internal const string RemarkField = "remark";
    internal const string EvaluationField = "result";

    public void Map(CameraServiceRoutes routes)
    {
        routes.Map("sign", "start", Start, maxBody: BodyLimits.Upload) // background_image may be base64
            .Map("sign", "stop", StopAsync)
            .Map("sign", "get", Get)
            .Map("sign", "status", Status)
            .Map("sign", "reset_status", ResetStatus)
            .Map("sign", "reset_sign_device", ResetDeviceAsync)
            .Map("sign", "set_recv_hwnd", (_, _) => ValueTask.FromResult(CameraServiceAnswer.Error(ErrorCode.NotSupported,
                "仅 Windows 支持窗口消息 / set_recv_hwnd needs Windows window messages; this terminal does not support it")))
            .Map("sign", "showevaluator", ShowEvaluator)
            .Map("sign", "closeevaluator", CloseEvaluatorAsync)
            .Map("sign", "getevaluatorresult", EvaluatorResult)
            .Map("sign", "showefloatingbuttongroup", ShowFloatingAsync) // the seed's spelling
            .Map("sign", "showfloatingbuttongroup", ShowFloatingAsync)
            .Map("sign", "closefloatingbuttongroup", CloseFloating)
            .Map("sign", "getfloatingbuttongroupresult", FloatingResult)
            .Map("sign", "showadvertisingplayer", ShowCarouselAsync, maxBody: BodyLimits.Upload) // piclist may be base64 images
            .Map("sign", "closeadvertisingplayer", CloseCarousel)
            .MapRaw("sign", "stream", StreamAsync);
    }

    // ------------------------------------------------------------ signature window (§9.1–9.3, 9.7, 9.14)

    private async ValueTask<CameraServiceAnswer> Start(CameraServiceRequest request, CancellationToken ct)
    {
        var options = await SignWindowParser.SignatureAsync(request, pictures, ct).ConfigureAwait(false);
        var attempt = session.TryStart(TaskKind.Sign, Requester(request), TimeSpan.FromSeconds(sessionOptions.SignTimeoutSeconds),
            new ScreenPrompt("请签名 / Please sign", ""), async cancel =>
            {
                var outcome = await screen.ShowSignatureAsync(options, cancel).ConfigureAwait(false);
                // The raw samples are kept with the picture (evidence); sign=get hands them out when asked (an addition).
                return outcome is SignatureOutcome.Confirmed c
                    ? TaskProduct.Result(SignatureEvidence.Parts(c), [new(RemarkField, c.Remark ?? "")])
                    : TaskProduct.CancelledByPerson;
            });
        if (attempt.Started is not { } task) return Busy(attempt.BusyWith!);
        tasks.Add(task, options.Remark);
        return CameraServiceAnswer.Ok(w => w.WriteString("task_id", task.Id));
    }

    private async ValueTask<CameraServiceAnswer> StopAsync(CameraServiceRequest request, CancellationToken ct)
    {
        if (tasks.Find(null, TaskKind.Sign)?.Running is { } running)
        {
            running.Abort("签字窗口已被关闭 / sign=stop closed the signature window");
            await running.Finished.WaitAsync(ct).ConfigureAwait(false);
        }
        return CameraServiceAnswer.Ok();
    }

    /// <summary>§9.3 sign=get: "2" = the signature failed, <c>message</c> says why.</summary>
    private const string FailedWithReason = "2";

    private ValueTask<CameraServiceAnswer> Get(CameraServiceRequest request, CancellationToken ct)
    {
        var taskId = request.String("task_id");
        var entry = tasks.Find(taskId, TaskKind.Sign);
        if (entry is null || entry.Kind != TaskKind.Sign)
            return Answer(CameraServiceAnswer.WithCode("1", string.IsNullOrWhiteSpace(taskId)
                ? "无签字图像: 未开始签字 / no signature image: no signature was started"
                : $"无签字图像: 未知 task_id / no signature image: unknown task_id \"{taskId}\""));
        if (entry.Journaled is not { } journaled)
            return Answer(CameraServiceAnswer.WithCode("1", "无签字图像: 尚未提交 / no signature image yet: the person has not pressed OK"));
        if (journaled.State == TaskState.Completed)
            return Answer(journal.Read(journaled) is { } record
                ? SignedAnswer(entry, journaled, record, WithSamples(request))
                : CameraServiceAnswer.Error(ErrorCode.DeviceFailed, "签字结果无法读取 / the journaled signature could not be read"));
        // How it ended without a signature is the result too: told once, it counts as delivered. §9.3 has its own
        // codes: "1" no image, "2" failed with the reason in message (sign=status tells cancelled/timed out apart).
        return Answer((journaled.State switch
        {
            TaskState.CancelledByPerson => CameraServiceAnswer.WithCode(FailedWithReason, "签字已在终端上取消 / the person cancelled the signature"),
            TaskState.TimedOut => CameraServiceAnswer.WithCode(FailedWithReason, "签字超时 / nobody signed in time"),
            TaskState.Aborted => CameraServiceAnswer.WithCode("1", "无签字图像: 签字窗口已关闭 / no signature image: the window was closed"),
            _ => CameraServiceAnswer.WithCode(FailedWithReason, $"签字失败 / signing failed: {journal.Read(journaled)?.Message}"),
        }).Delivers(journal, journaled));
    }

    private CameraServiceAnswer SignedAnswer(SignTasks.Entry entry, JournalEntry journaled, ResultRecord record, bool withSamples)
    {
        var png = record.Image(SignatureEvidence.PicturePart) ?? [];
        var remark = entry.Remark ?? record.Field(RemarkField);
        var samples = withSamples ? PenSampleEncoding.Decode(record.Image(PenSampleEncoding.PartName) ?? []) : null;
        return CameraServiceAnswer.Ok(w =>
        {
            w.WriteString("image", Convert.ToBase64String(png));
            w.WriteString("task_id", entry.TaskId);
            w.WriteString("remark", remark);
            if (samples is not null) WriteSamples(w, samples);
        }).Delivers(journal, journaled);
    }

    /// <summary>
    /// <c>with_samples</c> "1"/"true" (an addition to §9.3; the seed has no trajectory field): the answer also carries
    /// <c>samples</c>, the raw pen samples of the signature.
    /// </summary>
    private static bool WithSamples(CameraServiceRequest request) =>
        (request.String("with_samples") ?? "").Trim().ToLowerInvariant() is "1" or "true";

    /// <summary>
    /// <c>"samples":[{"x","y","pressure","time_ms","pen_down", "tilt_x","tilt_y" when the pen reports tilt}]</c>: window
    /// pixels, pressure 0..1, milliseconds since the first touch, 1 while the pen is down (each stroke ends with a 0),
    /// tilt in degrees. Numbers, not strings: this is a data array, not one of the seed's fields.
    /// </summary>
    private static void WriteSamples(System.Text.Json.Utf8JsonWriter w, PenSample[] samples)
    {
        w.WriteStartArray("samples");
        foreach (var s in samples)
        {
            w.WriteStartObject();
            w.WriteNumber("x", Math.Round(s.X, 2));
            w.WriteNumber("y", Math.Round(s.Y, 2));
            w.WriteNumber("pressure", Math.Round(s.Pressure, 4));
            w.WriteNumber("time_ms", s.Millis);
            w.WriteNumber("pen_down", s.PenDown ? 1 : 0);
            if (s.TiltX is { } tx) w.WriteNumber("tilt_x", Math.Round(tx, 2));
            if (s.TiltY is { } ty) w.WriteNumber("tilt_y", Math.Round(ty, 2));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>§9.7 status: 0 idle, 1 signing, 2 signed (journaled); other values are errors: 3 cancelled, 4 timed out, 5 failed.</summary>
    private ValueTask<CameraServiceAnswer> Status(CameraServiceRequest request, CancellationToken ct)
    {
        var taskId = request.String("task_id");
        var entry = tasks.Find(taskId, TaskKind.Sign);
        if (entry is null && !string.IsNullOrWhiteSpace(taskId))
            return Answer(CameraServiceAnswer.Error(ErrorCode.BadRequest, $"未知 task_id / unknown task_id \"{taskId}\""));
        var status = entry switch
        {
            null => "0",
            { Journaled: null } => "1",
            { Journaled.State: TaskState.Completed } => "2",
            { Journaled.State: TaskState.Aborted } => "0",
            { Journaled.State: TaskState.CancelledByPerson } => "3",
            { Journaled.State: TaskState.TimedOut } => "4",
            _ => "5",
        };
        return Answer(CameraServiceAnswer.Ok("获取签字设备状态成功", w =>
        {
            w.WriteString("status", status);
            w.WriteString("task_id", taskId ?? entry?.TaskId ?? "");
        }));
    }

    /// <summary>§9.14: while signing, clears the ink (as the reset button); afterwards, back to "idle".</summary>
    private ValueTask<CameraServiceAnswer> ResetStatus(CameraServiceRequest request, CancellationToken ct)
    {
        if (!screen.ResetSignature()) tasks.ForgetCurrent(TaskKind.Sign);
        return Answer(CameraServiceAnswer.Ok());
    }

    /// <summary>§9.12: everything CameraService put on the screen goes away and the screen is idle again.</summary>
    private async ValueTask<CameraServiceAnswer> ResetDeviceAsync(CameraServiceRequest request, CancellationToken ct)
    {
        foreach (var kind in new[] { TaskKind.Sign, TaskKind.Evaluation })
            if (tasks.Find(null, kind)?.Running is { } running)
            {
                running.Abort("签字屏已重置 / sign=reset_sign_device");
                await running.Finished.WaitAsync(ct).ConfigureAwait(false);
            }
        screen.CloseFloatingButtons();
        screen.StopCarousel();
        tasks.ForgetCurrent(TaskKind.Sign);
        tasks.ForgetCurrent(TaskKind.Evaluation);
        return CameraServiceAnswer.Ok();
    }

    // ------------------------------------------------------------ evaluation window (§9.8–9.10)

    private async ValueTask<CameraServiceAnswer> ShowEvaluator(CameraServiceRequest request, CancellationToken ct)
    {
        var options = await SignWindowParser.EvaluationAsync(request, pictures, ct).ConfigureAwait(false);
        var attempt = session.TryStart(TaskKind.Evaluation, Requester(request), TimeSpan.FromSeconds(sessionOptions.SignTimeoutSeconds),
            new ScreenPrompt(options.TipMessage.Content, ""), async cancel =>
            {
                var result = await screen.ShowEvaluationAsync(options, cancel).ConfigureAwait(false);
                return TaskProduct.Result([], [new(EvaluationField, result)]);
            });
        if (attempt.Started is not { } task) return Busy(attempt.BusyWith!);
        tasks.Add(task, null);
        return CameraServiceAnswer.Ok(w => w.WriteString("task_id", task.Id));
    }

    private async ValueTask<CameraServiceAnswer> CloseEvaluatorAsync(CameraServiceRequest request, CancellationToken ct)
    {
        if (tasks.Find(null, TaskKind.Evaluation)?.Running is { } running)
        {
            running.Abort("评价窗口已被关闭 / sign=closeevaluator");
            await running.Finished.WaitAsync(ct).ConfigureAwait(false);
        }
        return CameraServiceAnswer.Ok();
    }

    private ValueTask<CameraServiceAnswer> EvaluatorResult(CameraServiceRequest request, CancellationToken ct)
    {
        if (tasks.Find(null, TaskKind.Evaluation) is { Journaled: { State: TaskState.Completed } journaled } entry
            && journal.Read(journaled) is { } record)
        {
            var result = record.Field(EvaluationField);
            return Answer(CameraServiceAnswer.Ok(w =>
            {
                w.WriteString("result", result);
                w.WriteString("task_id", entry.TaskId);
            }).Delivers(journal, journaled));
        }
        return Answer(CameraServiceAnswer.WithCode("1", "暂无评价结果 / no evaluation result yet"));
    }

    // ------------------------------------------------------------ floating buttons (§9.15–9.17), carousel (§9.18–9.19)

    private async ValueTask<CameraServiceAnswer> ShowFloatingAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var options = await SignWindowParser.FloatingAsync(request, pictures, ct).ConfigureAwait(false);
        await OnWire(() => screen.ShowFloatingButtonsAsync(options, ct)).ConfigureAwait(false);
        return CameraServiceAnswer.Ok();
    }

    private ValueTask<CameraServiceAnswer> CloseFloating(CameraServiceRequest request, CancellationToken ct)
    {
        screen.CloseFloatingButtons();
        return Answer(CameraServiceAnswer.Ok());
    }

    private ValueTask<CameraServiceAnswer> FloatingResult(CameraServiceRequest request, CancellationToken ct)
    {
        var clicked = screen.LastFloatingButtonClicked;
        return Answer(clicked is null
            ? CameraServiceAnswer.WithCode("1", "暂无点击结果 / no button clicked yet")
            : CameraServiceAnswer.Ok(w => w.WriteString("result", clicked)));
    }

    private async ValueTask<CameraServiceAnswer> ShowCarouselAsync(CameraServiceRequest request, CancellationToken ct)
    {
        var options = await SignWindowParser.CarouselAsync(request, pictures, ct).ConfigureAwait(false);
        await OnWire(() => screen.StartCarouselAsync(options, ct)).ConfigureAwait(false);
        return CameraServiceAnswer.Ok();
    }

    private ValueTask<CameraServiceAnswer> CloseCarousel(CameraServiceRequest request, CancellationToken ct)
    {
        screen.StopCarousel();
        return Answer(CameraServiceAnswer.Ok());
    }

    // ------------------------------------------------------------ helpers

    /// <summary>A screen call answered right away (not a session task): its failure goes on the wire as the shared code.</summary>
    private static async Task OnWire(Func<Task> show)
    {
        try
        {
            await show().ConfigureAwait(false);
        }
        catch (CaptureException e)
        {
            throw new CameraServiceException(ErrorCodes.For(e.Failure), e.Message);
        }
    }

    private static CameraServiceAnswer Busy(TerminalTask other) =>
        CameraServiceAnswer.Error(ErrorCode.Busy, $"终端正忙 / another task is on screen: {other.Kind} ({other.Requester.Origin})");

    private static ValueTask<CameraServiceAnswer> Answer(CameraServiceAnswer answer) => ValueTask.FromResult(answer);

    internal static TaskRequester Requester(CameraServiceRequest request) =>
        request.Http is { } http
            ? new TaskRequester(SignTasks.Origin, http.Connection.RemoteIpAddress?.ToString() ?? "", http.Connection.Id)
            : new TaskRequester(SignTasks.Origin, "websocket", "");
}
