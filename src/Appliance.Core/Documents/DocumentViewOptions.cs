using Appliance.Core.Screen;

namespace Appliance.Core.Documents;

/// <summary>What a pen does on the page (seed 003 §9.6 <c>default_mode</c>).</summary>
public enum DocumentPenMode
{
    /// <summary><c>drag</c>: the pen scrolls the page; a long press (when allowed) asks for a signature there.</summary>
    Drag,
    /// <summary><c>sign</c>: a tap on the page asks for a signature there.</summary>
    Sign,
    /// <summary><c>remark</c>: the pen writes notes on the page, shown while the document is open, never signed.</summary>
    Remark,
}

/// <summary>How big the page shows (seed 003 §9.6 <c>preview_zoom</c>).</summary>
public readonly record struct DocumentZoom(DocumentZoomKind Kind, int Percent)
{
    /// <summary><c>1</c>-<c>100</c>: 50 is the page at its printed size on this panel, 100 twice that, 25 half.</summary>
    public static DocumentZoom Of(int percent) => new(DocumentZoomKind.Percent, Math.Clamp(percent, 1, 100));
    public static DocumentZoom NoZoom { get; } = Of(50);
    public static DocumentZoom FitWidth { get; } = new(DocumentZoomKind.FitWidth, 0);
    public static DocumentZoom FitHeight { get; } = new(DocumentZoomKind.FitHeight, 0);
}

public enum DocumentZoomKind { Percent, FitWidth, FitHeight }

/// <summary>The document window of <c>show_sign_pdf</c>: the PDF, how it opens, and what the person may do.</summary>
public sealed record DocumentViewOptions
{
    public required byte[] Pdf { get; init; }

    /// <summary>Shown above the page before the pen touches it (evidence): the document's short hash, the signer's name.</summary>
    public required string Caption { get; init; }

    public DocumentPenMode Mode { get; init; } = DocumentPenMode.Drag;

    public DocumentZoom Zoom { get; init; } = DocumentZoom.FitWidth;

    /// <summary><c>sign</c>: whether the person can sign at all (false: a preview with a close button).</summary>
    public bool SigningAllowed { get; init; } = true;

    /// <summary><c>long_press_trigger_sign</c>: a long press on the page signs there; false: a 签名 / Sign button does.</summary>
    public bool LongPressSigns { get; init; } = true;

    /// <summary>The page shown first (0-based): a signing order opens where its signer signs.</summary>
    public int StartPage { get; init; }

    /// <summary>Boxes outlined as "签名处 / Sign here" (a signing order's placements for the signer at the counter).</summary>
    public IReadOnlyList<DocumentBox> SignHere { get; init; } = [];

    /// <summary>The cancel button's words (a signing order: 拒签 / Refuse).</summary>
    public string CancelLabel { get; init; } = "取消 Cancel";
}

/// <summary>A box on a page in 0-1 fractions of the page, top-left origin.</summary>
public sealed record DocumentBox(int Page, double Left, double Top, double Width, double Height);

/// <summary>A signature (and fingerprint) drawn onto a page where it was placed, in 0-1 fractions of the page, top-left origin.</summary>
public sealed record DocumentStamp(int Page, double Left, double Top, double Width, double Height, byte[] Png)
{
    /// <summary>The part of the picture drawn (its pixels); null: all of it. A signing order's box shows the ink only, not the pad around it.</summary>
    public PictureCrop? Crop { get; init; }

    /// <summary>
    /// A square picture (a fingerprint) as tall as the box given, beside it: on its right, or on its left when the page
    /// ends there. Fractions of a page of <paramref name="pageWidth"/> × <paramref name="pageHeight"/> points.
    /// </summary>
    public static DocumentStamp Beside(int page, double left, double top, double width, double height, double pageWidth, double pageHeight, byte[] png)
    {
        var side = height * pageHeight / pageWidth;
        var x = left + width + 0.01 <= 1 - side ? left + width + 0.01 : Math.Max(0, left - side - 0.01);
        return new DocumentStamp(page, x, top, side, height, png);
    }
}

/// <summary>A rectangle of a picture's pixels.</summary>
public readonly record struct PictureCrop(int Left, int Top, int Width, int Height)
{
    /// <summary>The part of a <paramref name="width"/> × <paramref name="height"/> picture this crop covers; null when it misses the picture (draw it whole).</summary>
    public PictureCrop? Within(int width, int height)
    {
        var left = Math.Max(0, Left);
        var top = Math.Max(0, Top);
        var right = Math.Min(width, Left + Width);
        var bottom = Math.Min(height, Top + Height);
        return right > left && bottom > top ? new PictureCrop(left, top, right - left, bottom - top) : null;
    }
}
