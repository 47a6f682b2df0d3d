using System.Diagnostics.CodeAnalysis;
using Appliance.Core.Board;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.Core.Images;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Uos;

/// <summary>
/// The UOS commands that do real work on the terminal: each starts a task in the terminal session (or refuses by
/// throwing <see cref="CaptureException"/>: busy, not supported, bad request) and returns at once; the outcome reaches
/// the PC through the journal and <see cref="UosResultDelivery"/>, never directly, so a dropped connection or a crash
/// loses nothing.
/// </summary>
public sealed class UosTaskCommands(
    TerminalSession session,
    ResultsJournal journal,
    CaptureDevices devices,
    TerminalSessionOptions sessionOptions,
    UosOptions options,
    BoardProfile board,
    UosCameraPreview preview,
    ISignatureComposer composer,
    ILogger<UosTaskCommands> log)
{
    public void GetSign(UosConnection connection, UosSignRequest request)
    {
        var window = request.Window(board.Screen.Width, board.Screen.Height);
        var penWidth = request.Number("penwidth", options.DefaultPenWidth, 1, 50);
        if (devices.Screen is not { } screen) { NotSupported(connection, "签名采集", "signature capture"); return; }
        var signatureWindow = new Core.Screen.SignatureWindowOptions
        {
            Pos = window is { } w ? Core.Screen.UiPos.FromSize(w.X, w.Y, w.Width, w.Height) : Core.Screen.UiPos.FullScreen,
            PenWidth = penWidth,
            // UOS pages expect "signcancel" when the person declines, so the return button is shown here.
            ReturnButton = Core.Screen.SignButtonOptions.DefaultReturn with { Visible = true },
        };
        var prompt = new ScreenPrompt("请在框内签名 / Please sign in the box", "签完按确定 / press OK when done", window);
        Start(connection, TaskKind.Sign, TimeSpan.FromSeconds(sessionOptions.SignTimeoutSeconds), prompt, async cancel =>
            await screen.ShowSignatureAsync(signatureWindow, cancel).ConfigureAwait(false) is Core.Screen.SignatureOutcome.Confirmed signed
                ? TaskProduct.Result(SignatureEvidence.Parts(signed))
                : TaskProduct.CancelledByPerson);
    }

    public void GetFinger(UosConnection connection, UosWindowRequest request)
    {
        var window = request.Window(board.Screen.Width, board.Screen.Height);
        if (devices.Fingerprint is not { } sensor) { NotSupported(connection, "指纹采集", "fingerprint capture"); return; }
        var prompt = new ScreenPrompt("请将手指放在指纹仪上 / Place your finger on the sensor",
            $"{sessionOptions.FingerprintTimeoutSeconds} 秒后自动关闭 / closes in {sessionOptions.FingerprintTimeoutSeconds} s", window);
        Start(connection, TaskKind.Fingerprint, TimeSpan.FromSeconds(sessionOptions.FingerprintTimeoutSeconds), prompt, async cancel =>
        {
            var picture = await sensor.CaptureAsync(cancel).ConfigureAwait(false);
            return TaskProduct.Result([new(UosResultMessages.Parts.Fingerprint, picture.Png)]);
        });
    }

    /// <summary>Closes the fingerprint window if one is open; its getfinger then answers "cancelled".</summary>
    public void CloseFinger(UosConnection connection)
    {
        if (session.Current is { Kind: TaskKind.Fingerprint } task)
            task.Abort($"指纹窗口已被关闭 / the fingerprint window was closed by closefinger ({connection.Peer})");
    }

    public void GetCard(UosConnection connection)
    {
        if (devices.IdCard is not { } reader) { NotSupported(connection, "身份证阅读", "ID card reader"); return; }
        var prompt = new ScreenPrompt("请将身份证放在读卡区 / Place the ID card on the reader",
            $"{sessionOptions.IdCardTimeoutSeconds} 秒内 / within {sessionOptions.IdCardTimeoutSeconds} s");
        Start(connection, TaskKind.IdCard, TimeSpan.FromSeconds(sessionOptions.IdCardTimeoutSeconds), prompt, async cancel =>
        {
            var card = await reader.ReadAsync(new IdCardReadRequest
            {
                WithFaces = true, CardFound = () => session.UpdatePrompt(TaskKind.IdCard, TaskWords.ReadingCard),
            }, cancel).ConfigureAwait(false);
            return card.ToProduct();
        });
    }

    /// <summary>Merges this PC's last signature and last fingerprint (from the journal, so it survives a restart).</summary>
    public async Task MixSignFingerAsync(UosConnection connection, CancellationToken cancel)
    {
        var signature = Latest(connection, TaskKind.Sign, UosResultMessages.Parts.Signature);
        var finger = Latest(connection, TaskKind.Fingerprint, UosResultMessages.Parts.Fingerprint);
        if (signature is null || finger is null)
            throw new CaptureException(CaptureFailure.BadRequest,
                "请先完成签名和指纹采集 / mixsignfinger needs a signature (getsign) and a fingerprint (getfinger) first");
        var mixed = await composer.ComposeAsync(signature, finger, cancel).ConfigureAwait(false);
        session.Record(TaskKind.SignFingerMix, Requester(connection), TaskProduct.Result([new(UosResultMessages.Parts.Mixed, mixed)]));
    }

    public void PreviewCamera(UosConnection connection)
    {
        if (devices.Camera is not { } camera) { NotSupported(connection, "摄像头", "camera"); return; }
        preview.Start(connection, camera);
    }

    public void StopCamera(UosConnection connection) => preview.Stop(connection);

    public async Task GetCameraAsync(UosConnection connection, CancellationToken cancel)
    {
        if (devices.Camera is not { } camera) { NotSupported(connection, "摄像头", "camera"); return; }
        var jpeg = await camera.TakePhotoJpegAsync(cancel).ConfigureAwait(false);
        session.Record(TaskKind.Photo, Requester(connection), TaskProduct.Result([new(UosResultMessages.Parts.Photo, jpeg)]));
    }

    private void Start(UosConnection connection, TaskKind kind, TimeSpan timeout, ScreenPrompt prompt, Func<CancellationToken, Task<TaskProduct>> work)
    {
        StartAttempt attempt;
        try
        {
            attempt = session.TryStart(kind, Requester(connection), timeout, prompt, work);
        }
        catch (ObjectDisposedException)
        {
            throw new CaptureException(CaptureFailure.Busy, "终端正在关闭 / the terminal is shutting down");
        }
        if (attempt.BusyWith is { } busy)
            throw new CaptureException(CaptureFailure.Busy,
                $"终端正忙（{busy.Kind} 任务进行中）/ the terminal is busy: a {busy.Kind} task ({busy.Id}) is on screen");
        log.LogInformation("{Peer} ({Connection}) started {Task}", connection.Peer, connection.Id, attempt.Started);
    }

    private byte[]? Latest(UosConnection connection, TaskKind kind, string part)
    {
        var entry = journal.LatestCompleted(UosResultDelivery.Origin, connection.Peer, kind);
        return entry is null ? null : journal.Read(entry)?.Image(part);
    }

    private static TaskRequester Requester(UosConnection connection) => new(UosResultDelivery.Origin, connection.Peer, connection.Id);

    [DoesNotReturn]
    private void NotSupported(UosConnection connection, string chinese, string english)
    {
        log.LogInformation("{Peer} ({Connection}) asked for {Capability}, which this terminal has not", connection.Peer, connection.Id, english);
        throw new CaptureException(CaptureFailure.NotSupported, $"此终端不支持{chinese} / this terminal has no {english}");
    }
}
