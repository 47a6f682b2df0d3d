using Appliance.Core.Documents;
using Appliance.Documents.Pdf.Rendering;
using Appliance.Ui.Windows;

namespace Appliance.Ui;

/// <summary>
/// The document on screen (<see cref="ScreenService.ShowDocument"/>): what the person asks for, the stamps to draw.
/// Disposing it takes the window off the screen and frees the document.
/// </summary>
public sealed class DocumentView : IDisposable
{
    private readonly ScreenService _screen;
    private readonly DocumentWindow _window;
    private PdfDocument _document;

    internal DocumentView(ScreenService screen, DocumentWindow window, PdfDocument document)
    {
        _screen = screen;
        _window = window;
        _document = document;
    }

    public int PageCount => _document.PageCount;

    /// <summary>The page's size in points, as displayed.</summary>
    public PdfPageSize PageSize(int page) => _document.PageSize(page);

    /// <summary>The next thing the person asked for; throws <see cref="OperationCanceledException"/> once the window closed.</summary>
    public async Task<DocumentRequest> NextRequestAsync(CancellationToken cancel)
    {
        try
        {
            return await _window.Requests.ReadAsync(cancel).ConfigureAwait(false);
        }
        catch (System.Threading.Channels.ChannelClosedException e)
        {
            throw new OperationCanceledException("the document window was closed", e);
        }
    }

    public void AddStamp(DocumentStamp stamp) => _screen.WithDocument(_window, w => w.AddStamp(stamp));

    /// <exception cref="PdfDocumentException">the new PDF cannot be opened; the old one stays.</exception>
    public void Replace(byte[] pdf, string caption)
    {
        var document = PdfDocument.Open(pdf);
        // The new one first: a page size asked meanwhile is the new document's, never a disposed one's.
        var previous = Interlocked.Exchange(ref _document, document);
        if (!_screen.WithDocument(_window, w => w.Replace(document, caption)))
        {
            _document = previous; // the window closed meanwhile
            document.Dispose();
        }
    }

    public bool Paused
    {
        get => _window.Paused;
        set => _screen.WithDocument(_window, w => w.Paused = value);
    }

    public void Dispose() => _screen.CloseDocument(_window);
}
