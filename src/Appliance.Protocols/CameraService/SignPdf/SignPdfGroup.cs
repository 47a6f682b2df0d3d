using System.Text.Json;
using Appliance.Core.Capture;
using Appliance.Core.Documents;
using Appliance.Core.Journal;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.CameraService.SignPdf;

/// <summary>
/// PDF signing over the CameraService WebSocket (seed 003 §9.6): <c>show_sign_pdf</c> opens the document on the
/// terminal, each signature placed is pushed as <c>sign_pdf_info</c>, and 完成 / Finish pushes
/// <c>{"function":"sign_pdf_info","action":"signoff"}</c> with the signed PDF once it is journaled; <c>close_sign_pdf</c>
/// closes the window. A page that lost its connection fetches the signed document with <c>get_signed_pdf</c> (an
/// addition), also after a restart. The document is a <see cref="TaskKind.SignPdf"/> task of the session: one thing on
/// screen at a time (busy = 9).
/// </summary>
public sealed class SignPdfGroup(TerminalSession session, ResultsJournal journal, TerminalSessionOptions sessionOptions, SignPdfOptions options,
    ITerminalScreen screen, IDocumentScreen documents, IDocumentSigner signer, IFingerprintCapture fingerprint, TimeProvider time, ILogger<SignPdfGroup> log) : ICameraServiceGroup
{
    internal const string InfoFunction = "sign_pdf_info";
    internal const string Origin = "cameraservice";

    /// <summary>An ID card read this long before the document opens names its signer.</summary>
    internal static readonly TimeSpan SignerCardFreshFor = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private OpenDocument? _open;

    private sealed record OpenDocument(TerminalTask Task, DocumentSigning Signing, CameraServicePush Push, PageIdentity Page);

    public void Map(CameraServiceRoutes routes)
    {
        routes.MapFunction("show_sign_pdf", ShowAsync)
            .MapFunction("close_sign_pdf", CloseAsync)
            .MapFunction("get_signed_pdf", SignedPdf)
            .Map("sign", "getsignedpdf", SignedPdf);
    }

    private async ValueTask<CameraServiceAnswer> ShowAsync(CameraServiceRequest request, CancellationToken ct)
    {
        if (request.Push is not { } push)
            return CameraServiceAnswer.Error(ErrorCode.NotSupported, "show_sign_pdf 仅支持 WebSocket / show_sign_pdf works over the WebSocket only (it sends sign_pdf_info later)");
        var update = request.Flag("update", false);
        var (pdf, filePath) = await SignPdfParser.DocumentAsync(request, options, ct).ConfigureAwait(false);

        if (update && Current(request.Page) is { } shown)
        {
            try { shown.Signing.Replace(pdf, filePath); }
            catch (CaptureException e) { return CameraServiceAnswer.Error(ErrorCodes.For(e.Failure), e.Message); }
            log.LogInformation("show_sign_pdf update: {Task} shows another document ({Bytes} bytes)", shown.Task, pdf.Length);
            return CameraServiceAnswer.Ok(w => w.WriteString("task_id", shown.Task.Id));
        }

        var signerName = SignerName();
        var view = new DocumentViewOptions
        {
            Pdf = pdf,
            Caption = DocumentSigning.CaptionFor(pdf, signerName),
            Mode = SignPdfParser.Mode(request),
            Zoom = SignPdfParser.Zoom(request),
            SigningAllowed = request.Flag("sign", true),
            LongPressSigns = request.Flag("long_press_trigger_sign", true),
        };
        var window = new SignatureWindowOptions
        {
            Pos = SignPdfParser.SignaturePos(request),
            ReturnButton = SignButtonOptions.DefaultReturn with { Visible = true },
        };
        var signing = new DocumentSigning(new DocumentSigningRequest(view, window, request.Flag("fingerprint", false), filePath) { SignerName = signerName },
            documents, screen, fingerprint, signer)
        {
            SignaturePlaced = placed => SendPlaced(push, placed),
        };
        var requester = new TaskRequester(Origin, request.Page.Peer, request.Page.Space);
        var attempt = session.TryStart(TaskKind.SignPdf, requester, TimeSpan.FromSeconds(sessionOptions.SignPdfTimeoutSeconds),
            new ScreenPrompt("请阅读并签署文档 / Please read and sign the document", ""), signing.RunAsync);
        if (attempt.Started is not { } task)
            return CameraServiceAnswer.Error(ErrorCode.Busy, $"终端正忙 / another task is on screen: {attempt.BusyWith!.Kind}");

        var open = new OpenDocument(task, signing, push, request.Page);
        lock (_gate) _open = open;
        _ = FinishAsync(open);

        // Answered once the document is on screen, or with why it could not be (a malformed PDF: the terminal stays idle).
        await Task.WhenAny(signing.Opened, task.Finished).ConfigureAwait(false);
        if (signing.Opened.IsCompletedSuccessfully)
            return CameraServiceAnswer.Ok(w => w.WriteString("task_id", task.Id));
        var ended = await task.Finished.ConfigureAwait(false);
        var record = journal.Read(ended);
        journal.MarkDelivered(ended.Sequence); // told here; no signoff follows
        return CameraServiceAnswer.Error(ErrorCodes.For(record?.Failure), record?.Message is { Length: > 0 } m ? m : "文档无法打开 / the document could not be opened");
    }

    private async ValueTask<CameraServiceAnswer> CloseAsync(CameraServiceRequest request, CancellationToken ct)
    {
        if (Current(null) is { } open)
        {
            open.Task.Abort("文档窗口已被关闭 / close_sign_pdf closed the document");
            await open.Task.Finished.WaitAsync(ct).ConfigureAwait(false);
        }
        return CameraServiceAnswer.Ok();
    }

    /// <summary>
    /// <c>get_signed_pdf</c> / <c>sign=getsignedpdf</c> (additions): the signoff of this page's newest signed document
    /// not yet delivered (or the one <c>task_id</c> names), the same fields as the pushed signoff. 1 when there is none.
    /// </summary>
    private ValueTask<CameraServiceAnswer> SignedPdf(CameraServiceRequest request, CancellationToken ct)
    {
        var taskId = request.String("task_id");
        var entry = string.IsNullOrWhiteSpace(taskId)
            ? journal.Undelivered(Origin, request.Page.Peer).LastOrDefault(e => e.Kind == TaskKind.SignPdf && e.State == TaskState.Completed && e.Requester.Connection == request.Page.Space)
            : journal.Entries.LastOrDefault(e => e.TaskId == taskId && e.Kind == TaskKind.SignPdf && e.Requester.Peer == request.Page.Peer);
        if (entry is null)
            return ValueTask.FromResult(CameraServiceAnswer.WithCode("1", "没有待取的已签文档 / no signed document is waiting for this page"));
        if (entry.State != TaskState.Completed || journal.Read(entry) is not { } record)
            return ValueTask.FromResult(CameraServiceAnswer.WithCode("1", "该文档未签署 / that document was not signed"));
        return ValueTask.FromResult(CameraServiceAnswer.Ok(w => WriteSignoff(w, entry, record)).Delivers(journal, entry));
    }

    private OpenDocument? Current(PageIdentity? page)
    {
        lock (_gate)
        {
            if (_open is not { } open || open.Task.State.IsFinal()) return null;
            return page is null || open.Page == page ? open : null;
        }
    }

    /// <summary>The name on an ID card read on this terminal within <see cref="SignerCardFreshFor"/>.</summary>
    private string? SignerName()
    {
        var card = journal.Entries.LastOrDefault(e => e.Kind == TaskKind.IdCard && e.State == TaskState.Completed);
        if (card is null || time.GetUtcNow() - card.FinishedAt > SignerCardFreshFor) return null;
        return journal.Read(card)?.Field(IdCardRead.RecordKeys.Name) is { Length: > 0 } name ? name : null;
    }

    /// <summary>§9.6.3: one signature placed; pos only when the person chose the place (not the Sign button).</summary>
    private Task SendPlaced(CameraServicePush push, PlacedSignature placed)
    {
        var message = Serialize(w =>
        {
            w.WriteString("function", InfoFunction);
            w.WriteString("signature", Convert.ToBase64String(placed.Signature.Png));
            w.WriteString("file_path", placed.FilePath);
            if (placed.Placed)
            {
                w.WriteStartObject("pos");
                w.WriteString("page", (placed.Stamp.Page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("x", Fraction(placed.Stamp.Left));
                w.WriteString("y", Fraction(placed.Stamp.Top));
                w.WriteEndObject();
            }
            if (placed.FingerprintPng is { } fp) w.WriteString("fingerprint", Convert.ToBase64String(fp));
        });
        if (!push.TrySend(message)) log.LogWarning("sign_pdf_info could not be sent: the page's connection is gone; the signed document will wait in the journal");
        return Task.CompletedTask;
    }

    /// <summary>When the document task ends: §9.6.4 signoff once its outcome is journaled; delivered when it went out.</summary>
    private async Task FinishAsync(OpenDocument open)
    {
        JournalEntry entry;
        try { entry = await open.Task.Finished.ConfigureAwait(false); }
        catch (Exception e) { log.LogError(e, "{Task}: the outcome could not be journaled", open.Task); return; }
        lock (_gate) if (_open == open) _open = null;
        if (!open.Signing.Opened.IsCompletedSuccessfully || entry.State == TaskState.Aborted) return; // answered by show/close
        var record = journal.Read(entry);
        var message = Serialize(w =>
        {
            w.WriteString("function", InfoFunction);
            w.WriteString("action", "signoff");
            if (entry.State == TaskState.Completed && record is not null)
            {
                w.WriteString("code", "0");
                w.WriteString("message", "");
                WriteSignoff(w, entry, record);
            }
            else
            {
                var (code, text) = entry.State switch
                {
                    TaskState.CancelledByPerson => (ErrorCode.Cancelled, "已在终端上取消 / the person cancelled on the terminal"),
                    TaskState.TimedOut => (ErrorCode.TimedOut, record?.Message ?? "超时 / timed out"),
                    _ => (ErrorCodes.For(record?.Failure), record?.Message ?? "签署失败 / signing failed"),
                };
                w.WriteString("code", code.Wire());
                w.WriteString("message", text);
                w.WriteString("task_id", entry.TaskId);
            }
        });
        if (!open.Push.TrySend(message, sent => { if (sent) journal.MarkDelivered(entry.Sequence); }))
            log.LogWarning("{Task}: signoff not sent (the page's connection is gone); get_signed_pdf hands it out", open.Task);
    }

    /// <summary>The signoff's fields (additions to §9.6.4): the signed PDF as base64, its SHA-256, the path, the task.</summary>
    private static void WriteSignoff(Utf8JsonWriter w, JournalEntry entry, ResultRecord record)
    {
        w.WriteString("task_id", entry.TaskId);
        w.WriteString("file_path", record.Field(DocumentSigning.FilePathField));
        w.WriteString("signatures", record.Field(DocumentSigning.SignatureCountField));
        if (record.Image(DocumentSigning.SignedPdfPart) is { } pdf)
        {
            w.WriteString("pdf", Convert.ToBase64String(pdf));
            w.WriteString("sha256", record.Field(DocumentSigning.Sha256Field));
        }
    }

    private static string Fraction(double value) => Math.Round(value, 4).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    private static ReadOnlyMemory<byte> Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, CameraServicePort.WriterOptions))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }
}
