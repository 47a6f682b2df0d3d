using System.Security.Cryptography;
using Appliance.Core.Capture;
using Appliance.Core.Screen;
using Appliance.Core.Session;

namespace Appliance.Core.Documents;

/// <summary>
/// One <c>show_sign_pdf</c> on the terminal (seed 003 §9.6), run as the work of a <see cref="TaskKind.SignPdf"/> task:
/// the document window opens; each "sign here" opens the signature window (then the fingerprint, when asked), places
/// the signature on the page and reports it (<c>sign_pdf_info</c>); 完成 / Finish writes the signatures into the PDF and
/// signs it with the device key. The product is the signed PDF, journaled by the session before <c>signoff</c> is sent.
/// </summary>
public sealed class DocumentSigning
{
    /// <summary>Result parts and fields of a signed document in the journal.</summary>
    public const string SignedPdfPart = "signedPdf", Sha256Field = "sha256", FilePathField = "file_path", SignatureCountField = "signatures";

    /// <summary>A placed signature is this wide on the page (fraction of the page's width); its height follows the pad's shape.</summary>
    public const double SignatureWidth = 0.25;

    private readonly IDocumentScreen _documents;
    private readonly ITerminalScreen _screen;
    private readonly IFingerprintCapture? _fingerprint;
    private readonly IDocumentSigner _signer;
    private readonly DocumentSigningRequest _request;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PlacedSignature> _placed = [];
    private IDocumentView? _view;
    /// <summary>Counts <see cref="Replace"/>s: a signature asked on one document is never placed on the next.</summary>
    private int _generation;
    private byte[] _pdf;
    private string _filePath;

    public DocumentSigning(DocumentSigningRequest request, IDocumentScreen documents, ITerminalScreen screen, IFingerprintCapture? fingerprint, IDocumentSigner signer)
    {
        _request = request;
        _documents = documents;
        _screen = screen;
        _fingerprint = fingerprint;
        _signer = signer;
        _pdf = request.View.Pdf;
        _filePath = request.FilePath;
    }

    /// <summary>Completes once the document is on screen; faults as the task would (a PDF that cannot be opened).</summary>
    public Task Opened => _opened.Task;

    /// <summary>Raised (awaited) after each signature was placed: the protocol pushes <c>sign_pdf_info</c>.</summary>
    public Func<PlacedSignature, Task>? SignaturePlaced { get; init; }

    /// <summary>The document's short hash as the person sees it: the first 16 hex digits of its SHA-256, in groups of four.</summary>
    public static string ShortHash(ReadOnlySpan<byte> pdf)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(pdf));
        return string.Join(' ', Enumerable.Range(0, 4).Select(i => hex.Substring(i * 4, 4)));
    }

    /// <summary>The caption above the page: the short hash, and the signer when an ID card was read.</summary>
    public static string CaptionFor(ReadOnlySpan<byte> pdf, string? signer) =>
        $"文档 / Document {ShortHash(pdf)}" + (string.IsNullOrWhiteSpace(signer) ? "" : $"   签署人 / Signer {signer}");

    /// <summary><c>update</c>: another document in the open window; what was placed on the old one is dropped.</summary>
    public void Replace(byte[] pdf, string filePath)
    {
        IDocumentView? view;
        lock (_gate) view = _view;
        var caption = CaptionFor(pdf, _request.SignerName);
        view?.Replace(pdf, caption); // a PDF that cannot be opened throws here: the document shown stays
        lock (_gate)
        {
            _pdf = pdf;
            _filePath = filePath;
            _placed.Clear();
            _generation++;
        }
    }

    public async Task<TaskProduct> RunAsync(CancellationToken cancel)
    {
        IDocumentView view;
        try
        {
            view = await _documents.ShowDocumentAsync(_request.View, cancel).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _opened.TrySetException(e);
            throw;
        }
        using (view)
        {
            lock (_gate) _view = view;
            _opened.TrySetResult();
            while (true)
            {
                var asked = await view.NextRequestAsync(cancel).ConfigureAwait(false);
                switch (asked)
                {
                    case DocumentRequest.Cancel:
                        return TaskProduct.CancelledByPerson;
                    case DocumentRequest.Finish:
                        return await SignOffAsync(cancel).ConfigureAwait(false);
                    case DocumentRequest.SignAt at when _request.View.SigningAllowed:
                        await SignHereAsync(view, at, cancel).ConfigureAwait(false);
                        break;
                }
            }
        }
    }

    private async Task SignHereAsync(IDocumentView view, DocumentRequest.SignAt at, CancellationToken cancel)
    {
        int generation;
        lock (_gate) generation = _generation;
        view.Paused = true;
        SignatureOutcome outcome;
        FingerprintPicture? finger = null;
        try
        {
            outcome = await _screen.ShowSignatureAsync(_request.SignatureWindow, cancel).ConfigureAwait(false);
            if (outcome is not SignatureOutcome.Confirmed signed) return;
            if (_request.Fingerprint)
            {
                if (_fingerprint is null) throw new CaptureException(CaptureFailure.DeviceAbsent, "此终端没有指纹仪 / this terminal has no fingerprint sensor");
                _screen.ShowPrompt(new ScreenPrompt("请按手指 / Place your finger on the sensor", ""));
                try { finger = await _fingerprint.CaptureAsync(cancel).ConfigureAwait(false); }
                finally { _screen.ShowIdle(); }
            }
            if (Place(view, at, signed, finger, generation) is not { } placed) return; // the document was replaced meanwhile
            view.AddStamp(placed.Stamp);
            if (placed.FingerprintStamp is { } f) view.AddStamp(f);
            if (SignaturePlaced is { } report) await report(placed).ConfigureAwait(false);
        }
        finally
        {
            view.Paused = false;
        }
    }

    private PlacedSignature? Place(IDocumentView view, DocumentRequest.SignAt at, SignatureOutcome.Confirmed signed, FingerprintPicture? finger, int generation)
    {
        lock (_gate)
            if (generation != _generation || at.Page >= view.PageCount) return null;
        var (pageWidth, pageHeight) = view.PageSize(at.Page);
        var width = SignatureWidth;
        var height = Math.Min(0.5, width * signed.Height / Math.Max(1, signed.Width) * pageWidth / pageHeight);
        // The seed's pos is the signature's top-left; a signature asked by the button goes to the page's lower right.
        var (x, y) = at.Placed ? (at.X, at.Y) : (1 - width - 0.06, 1 - height - 0.08);
        x = Math.Clamp(x, 0, 1 - width);
        y = Math.Clamp(y, 0, 1 - height);
        var stamp = new DocumentStamp(at.Page, x, y, width, height, signed.Png);
        DocumentStamp? fingerStamp = null;
        if (finger is not null)
        {
            fingerStamp = DocumentStamp.Beside(at.Page, x, y, width, height, pageWidth, pageHeight, finger.Png);
        }
        lock (_gate)
        {
            if (generation != _generation) return null;
            var placed = new PlacedSignature(_placed.Count, stamp, fingerStamp, signed, finger?.Png, at.Placed, _filePath);
            _placed.Add(placed);
            return placed;
        }
    }

    private async Task<TaskProduct> SignOffAsync(CancellationToken cancel)
    {
        PlacedSignature[] placed;
        byte[] pdf;
        string filePath;
        lock (_gate) (placed, pdf, filePath) = ([.. _placed], _pdf, _filePath);
        var fields = new List<KeyValuePair<string, string>> { new(FilePathField, filePath), new(SignatureCountField, placed.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (placed.Length == 0)
        {
            // Nothing was signed (a preview, or the person only read it): signoff carries no document.
            return new TaskProduct(true, fields, []);
        }
        _screen.ShowPrompt(new ScreenPrompt("正在签署文档 / Signing the document", ""));
        try
        {
            var stamps = placed.SelectMany(p => p.FingerprintStamp is { } f ? new[] { p.Stamp, f } : [p.Stamp]).ToList();
            var evidence = new DocumentEvidence(DocumentEvidenceJson.Write(pdf, _request.SignerName, placed), _request.SignerName);
            var signedDocument = await _signer.SignAsync(pdf, stamps, evidence, cancel).ConfigureAwait(false);
            fields.Add(new(Sha256Field, signedDocument.Sha256));
            var images = new List<KeyValuePair<string, byte[]>> { new(SignedPdfPart, signedDocument.Pdf) };
            foreach (var p in placed)
            {
                images.Add(new($"signature{p.Index}", p.Signature.Png));
                images.Add(new($"penSamples{p.Index}", PenSampleEncoding.Encode(p.Signature.Samples)));
                if (p.FingerprintPng is { } fp) images.Add(new($"fingerprint{p.Index}", fp));
            }
            return new TaskProduct(true, fields, images);
        }
        finally
        {
            _screen.ShowIdle();
        }
    }
}

/// <summary>What <c>show_sign_pdf</c> asked for, parsed.</summary>
public sealed record DocumentSigningRequest(DocumentViewOptions View, SignatureWindowOptions SignatureWindow, bool Fingerprint, string FilePath)
{
    /// <summary>The name on the ID card read on this terminal shortly before, shown above the page and written into the evidence.</summary>
    public string? SignerName { get; init; }
}

/// <summary>A signature placed on the document: what <c>sign_pdf_info</c> reports, and what the signed PDF will carry.</summary>
/// <param name="Placed">False when the Sign button asked (the seed sends no pos then).</param>
public sealed record PlacedSignature(int Index, DocumentStamp Stamp, DocumentStamp? FingerprintStamp, SignatureOutcome.Confirmed Signature,
    byte[]? FingerprintPng, bool Placed, string FilePath);
