using Appliance.Documents.Pdf.Syntax;

namespace Appliance.Documents.Pdf.Signing;

/// <summary>
/// Where a placement lands in the page's user space: the annotation rectangle, and the matrix that draws the image's
/// unit square inside it (relative to the rectangle's lower-left corner) so it shows upright whatever /Rotate says.
/// </summary>
internal readonly record struct ImagePlacement(PdfRectangle Rectangle, double A, double B, double C, double D, double E, double F)
{
    public static ImagePlacement On(PdfPage page, PdfImagePlacement placement)
    {
        var box = page.VisibleBox;
        // Displayed fractions (u right, v down from the top-left) to user space, for each quarter turn the viewer
        // applies clockwise (§8.3.2.3 /Rotate).
        (double X, double Y) Displayed(double u, double v) => page.Rotate switch
        {
            90 => (box.Left + v * box.Width, box.Bottom + u * box.Height),
            180 => (box.Right - u * box.Width, box.Bottom + v * box.Height),
            270 => (box.Right - v * box.Width, box.Top - u * box.Height),
            _ => (box.Left + u * box.Width, box.Top - v * box.Height),
        };
        var right = placement.Left + placement.Width;
        var bottom = placement.Top + placement.Height;
        var bottomLeft = Displayed(placement.Left, bottom);
        var bottomRight = Displayed(right, bottom);
        var topLeft = Displayed(placement.Left, placement.Top);
        var topRight = Displayed(right, placement.Top);
        var rectangle = new PdfRectangle(
            Math.Min(Math.Min(bottomLeft.X, bottomRight.X), Math.Min(topLeft.X, topRight.X)),
            Math.Min(Math.Min(bottomLeft.Y, bottomRight.Y), Math.Min(topLeft.Y, topRight.Y)),
            Math.Max(Math.Max(bottomLeft.X, bottomRight.X), Math.Max(topLeft.X, topRight.X)),
            Math.Max(Math.Max(bottomLeft.Y, bottomRight.Y), Math.Max(topLeft.Y, topRight.Y)));
        // An image's unit square: (0,0) its bottom-left, (1,0) bottom-right, (0,1) top-left (§8.9.4).
        return new ImagePlacement(rectangle,
            bottomRight.X - bottomLeft.X, bottomRight.Y - bottomLeft.Y,
            topLeft.X - bottomLeft.X, topLeft.Y - bottomLeft.Y,
            bottomLeft.X - rectangle.Left, bottomLeft.Y - rectangle.Bottom);
    }

    public static void Validate(PdfImagePlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(placement.Image);
        static bool IsFraction(double value) => value is >= 0 and <= 1;
        if (!IsFraction(placement.Left) || !IsFraction(placement.Top) || !(placement.Width > 0) || !(placement.Height > 0)
            || placement.Left + placement.Width > 1 + 1e-9 || placement.Top + placement.Height > 1 + 1e-9)
        {
            throw new ArgumentOutOfRangeException(nameof(placement), "a placement is fractions 0..1 of the page, with a positive size inside it");
        }
        var image = placement.Image;
        if (image.Width <= 0 || image.Height <= 0 || image.Rgba is null || image.Rgba.LongLength != (long)image.Width * image.Height * 4)
        {
            throw new ArgumentException($"image is {image.Width}×{image.Height} but carries {image.Rgba?.Length ?? 0} bytes, not width × height × 4", nameof(placement));
        }
    }
}
