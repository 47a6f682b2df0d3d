namespace Appliance.Core.Documents;

/// <summary>
/// The document window (seed 003 §9.6): a PDF paged, scrolled and zoomed with the pen, its stamps drawn where they were
/// placed. Bound to the screen by an adapter; a PDF that cannot be opened is
/// <see cref="Capture.CaptureException"/> <see cref="Capture.CaptureFailure.BadRequest"/> (encrypted, malformed) or
/// <see cref="Capture.CaptureFailure.DeviceAbsent"/> (no PDF renderer on this terminal).
/// </summary>
public interface IDocumentScreen
{
    /// <summary>Opens the document and shows it; the window stays until the view is disposed.</summary>
    Task<IDocumentView> ShowDocumentAsync(DocumentViewOptions options, CancellationToken cancel);
}

/// <summary>The document on screen: what the person asks for, and the stamps to draw.</summary>
public interface IDocumentView : IDisposable
{
    int PageCount { get; }

    /// <summary>The page's size in points, as displayed.</summary>
    (double Width, double Height) PageSize(int page);

    /// <summary>The next thing the person asked for on the document window.</summary>
    Task<DocumentRequest> NextRequestAsync(CancellationToken cancel);

    /// <summary>Draws a stamp onto its page (a placed signature).</summary>
    void AddStamp(DocumentStamp stamp);

    /// <summary>Shows another document in the same window (<c>update</c>), stamps and notes cleared.</summary>
    void Replace(byte[] pdf, string caption);

    /// <summary>While another window is on top (the signature pad), the document ignores the pen.</summary>
    bool Paused { get; set; }
}

/// <summary>What the person asked for on the document window.</summary>
public abstract record DocumentRequest
{
    /// <summary>Sign here: page and the point (0-1 fractions, top-left origin); <see cref="Placed"/> false when the Sign button asked (no point: the seed sends no pos then).</summary>
    public sealed record SignAt(int Page, double X, double Y, bool Placed) : DocumentRequest;

    /// <summary>完成 / Finish: sign off the document with the signatures placed.</summary>
    public sealed record Finish : DocumentRequest;

    /// <summary>取消 / Cancel: leave without signing.</summary>
    public sealed record Cancel : DocumentRequest;
}
