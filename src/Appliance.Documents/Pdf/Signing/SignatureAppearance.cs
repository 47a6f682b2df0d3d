using System.Globalization;
using Appliance.Documents.Pdf.Syntax;

namespace Appliance.Documents.Pdf.Signing;

/// <summary>The objects that show a placed image: the image XObject (RGB, alpha as /SMask) and a form drawing it.</summary>
internal static class SignatureAppearance
{
    /// <summary>Writes the image and its appearance form; returns the form.</summary>
    public static PdfReference Write(PdfIncrementalUpdate update, PdfImagePlacement placement, ImagePlacement where)
    {
        var image = WriteImage(update, placement.Image);
        var content = string.Create(CultureInfo.InvariantCulture,
            $"q {N(where.A)} {N(where.B)} {N(where.C)} {N(where.D)} {N(where.E)} {N(where.F)} cm /Im0 Do Q\n");
        var form = new PdfDictionary()
            .Set("Type", "XObject")
            .Set("Subtype", "Form")
            .Set("BBox", PdfArray.Of(0, 0, where.Rectangle.Width, where.Rectangle.Height))
            .Set("Resources", new PdfDictionary().Set("XObject", new PdfDictionary().Set("Im0", image)));
        return update.Add(new PdfStream(form, System.Text.Encoding.ASCII.GetBytes(content)));
    }

    private static string N(double value) => PdfObjectWriter.FormatReal(value);

    private static PdfReference WriteImage(PdfIncrementalUpdate update, PdfRgbaImage image)
    {
        var pixels = image.Width * image.Height;
        var rgb = new byte[pixels * 3];
        var alpha = new byte[pixels];
        var opaque = true;
        var rgba = image.Rgba;
        for (int i = 0, j = 0; i < pixels; i++, j += 4)
        {
            rgb[i * 3] = rgba[j];
            rgb[i * 3 + 1] = rgba[j + 1];
            rgb[i * 3 + 2] = rgba[j + 2];
            alpha[i] = rgba[j + 3];
            opaque &= rgba[j + 3] == 255;
        }
        var dictionary = ImageDictionary(image, "DeviceRGB");
        // Straight alpha is what a soft mask without /Matte expects (§11.6.5.3).
        if (!opaque) dictionary.Set("SMask", update.Add(new PdfStream(ImageDictionary(image, "DeviceGray"), PdfFilters.Deflate(alpha))));
        return update.Add(new PdfStream(dictionary, PdfFilters.Deflate(rgb)));
    }

    private static PdfDictionary ImageDictionary(PdfRgbaImage image, string colorSpace) => new PdfDictionary()
        .Set("Type", "XObject")
        .Set("Subtype", "Image")
        .Set("Width", image.Width)
        .Set("Height", image.Height)
        .Set("ColorSpace", colorSpace)
        .Set("BitsPerComponent", 8)
        .Set("Filter", "FlateDecode");
}
