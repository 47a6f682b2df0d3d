using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Ui.Composition;
using Appliance.Ui.Images;
using Appliance.Core.Documents;
using Appliance.Core.Screen;
using Appliance.Documents.Pdf.Rendering;
using Appliance.Ui.Text;
using Appliance.Ui.Windows;
using SkiaSharp;

namespace Appliance.Ui;

/// <summary>The document window of <c>show_sign_pdf</c> (seed 003 §9.6): one at a time, under the other windows.</summary>
public sealed partial class ScreenService
{
    private DocumentWindow? _document;

    /// <summary>
    /// Opens <see cref="DocumentViewOptions.Pdf"/> and shows it full screen under the other windows until the returned
    /// view is disposed. The first page is rendered in the background; the window says "loading" until it arrives.
    /// </summary>
    /// <exception cref="ScreenBusyException">a document is already on screen.</exception>
    /// <exception cref="PdfDocumentException">the PDF cannot be opened (malformed, encrypted, no renderer).</exception>
    public DocumentView ShowDocument(DocumentViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var document = PdfDocument.Open(options.Pdf);
        lock (_compositor.Gate)
        {
            if (_document is not null)
            {
                document.Dispose();
                throw new ScreenBusyException("a document is already on screen");
            }
            var window = new DocumentWindow(_compositor.Screen, options, document, _fonts, _minTarget, _pixelsPerMm, TimeProvider.System, _compositor.Gate);
            _document = window;
            _compositor.Add(window);
            _compositor.Render();
            return new DocumentView(this, window, document);
        }
    }

    /// <summary>Changes the document window under the lock and redraws; false when it is no longer on screen.</summary>
    internal bool WithDocument(DocumentWindow window, Action<DocumentWindow> change)
    {
        lock (_compositor.Gate)
        {
            if (_document != window) return false;
            change(window);
            _compositor.Render();
            return true;
        }
    }

    internal void CloseDocument(DocumentWindow window)
    {
        lock (_compositor.Gate)
        {
            if (_document != window) return;
            _document = null;
            _compositor.Remove(window);
            _compositor.Render();
        }
    }
}
