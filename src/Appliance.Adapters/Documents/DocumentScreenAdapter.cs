using Appliance.Core.Capture;
using Appliance.Core.Documents;
using Appliance.Documents.Pdf.Rendering;
using Appliance.Ui;

namespace Appliance.Adapters.Documents;

/// <summary>
/// Binds <see cref="IDocumentScreen"/> to the screen's document window; a PDF poppler cannot open becomes
/// <see cref="CaptureException"/> here and nowhere else.
/// </summary>
public sealed class DocumentScreenAdapter(ScreenService screen) : IDocumentScreen
{
    public Task<IDocumentView> ShowDocumentAsync(DocumentViewOptions options, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var view = Translated(() => screen.ShowDocument(options));
        return Task.FromResult<IDocumentView>(new View(view));
    }

    internal static T Translated<T>(Func<T> open)
    {
        try
        {
            return open();
        }
        catch (PdfDocumentException e)
        {
            throw e.Failure switch
            {
                PdfDocumentFailure.Encrypted => new CaptureException(CaptureFailure.BadRequest, "文档已加密 / the PDF is encrypted: send it without a password", e),
                PdfDocumentFailure.LibraryMissing => new CaptureException(CaptureFailure.DeviceAbsent, "此终端无法显示 PDF / this terminal has no PDF renderer (libpoppler-glib8)", e),
                _ => new CaptureException(CaptureFailure.BadRequest, $"PDF 无法打开 / the PDF cannot be opened: {e.Message}", e),
            };
        }
        catch (ScreenBusyException e)
        {
            throw new CaptureException(CaptureFailure.Busy, "签字屏忙 / a document is already on screen", e);
        }
    }

    private sealed class View(DocumentView view) : IDocumentView
    {
        public int PageCount => view.PageCount;

        public (double Width, double Height) PageSize(int page)
        {
            var size = view.PageSize(page);
            return (size.Width, size.Height);
        }

        public Task<DocumentRequest> NextRequestAsync(CancellationToken cancel) => view.NextRequestAsync(cancel);

        public void AddStamp(DocumentStamp stamp) => view.AddStamp(stamp);

        public void Replace(byte[] pdf, string caption) => Translated(() => { view.Replace(pdf, caption); return true; });

        public bool Paused { get => view.Paused; set => view.Paused = value; }

        public void Dispose() => view.Dispose();
    }
}
