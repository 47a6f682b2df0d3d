using System.Security.Cryptography;
using Appliance.Core.Capture;
using Appliance.Core.Documents;
using Appliance.Documents.Pdf.Signing;
using SkiaSharp;

namespace Appliance.Adapters.Documents;

/// <summary>
/// Binds <see cref="IDocumentSigner"/> to the PDF signer (Documents): the stamps' PNGs become straight RGBA pictures, the
/// evidence an embedded file, and the signer's failures <see cref="CaptureException"/>.
/// </summary>
/// <param name="signer">Made at the first signature: creating the device key (RSA) takes long enough to keep it out of the start.</param>
public sealed class DocumentSignerAdapter(Func<PdfSigner> signer, TimeProvider time) : IDocumentSigner
{
    private readonly Lazy<PdfSigner> _signer = new(signer);

    public async Task<SignedDocument> SignAsync(byte[] pdf, IReadOnlyList<DocumentStamp> stamps, DocumentEvidence evidence, CancellationToken cancel)
    {
        var placements = stamps.Select(s => new PdfImagePlacement(s.Page, s.Left, s.Top, s.Width, s.Height, Rgba(s.Png, s.Crop))).ToList();
        var request = new PdfSignRequest(placements, time.GetUtcNow())
        {
            SignerName = evidence.SignerName,
            Evidence = evidence.Json,
        };
        byte[] signed;
        try
        {
            signed = await _signer.Value.SignAsync(pdf, request, cancel).ConfigureAwait(false);
        }
        catch (PdfSigningException e)
        {
            throw e.Failure switch
            {
                PdfSigningFailure.Encrypted => new CaptureException(CaptureFailure.BadRequest, "文档已加密，无法签署 / the PDF is encrypted and cannot be signed", e),
                PdfSigningFailure.Malformed => new CaptureException(CaptureFailure.BadRequest, $"文档无法签署 / the PDF cannot be signed: {e.Message}", e),
                PdfSigningFailure.PageOutOfRange => new CaptureException(CaptureFailure.BadRequest, e.Message, e),
                _ => new CaptureException(CaptureFailure.DeviceFailed, $"时间戳服务失败 / the timestamp authority failed: {e.Message}", e),
            };
        }
        return new SignedDocument(signed, Convert.ToHexStringLower(SHA256.HashData(signed)));
    }

    /// <summary>A PNG as straight (unpremultiplied) RGBA, as the PDF's image and its soft mask want it.</summary>
    internal static unsafe PdfRgbaImage Rgba(byte[] png, PictureCrop? crop = null)
    {
        using var decoded = SKBitmap.Decode(png) ?? throw new CaptureException(CaptureFailure.BadRequest, "签名图像无法解码 / the signature picture could not be decoded");
        using var pixmap = decoded.PeekPixels();
        var area = Within(crop, decoded.Width, decoded.Height);
        var info = new SKImageInfo(area.Width, area.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        fixed (byte* target = rgba)
            if (!pixmap.ReadPixels(info, (nint)target, info.RowBytes, area.Left, area.Top))
                throw new CaptureException(CaptureFailure.BadRequest, "签名图像无法转换 / the signature picture could not be converted");
        return new PdfRgbaImage(info.Width, info.Height, rgba);
    }

    /// <summary>The crop kept inside the picture (the whole picture when none, or when it misses the picture).</summary>
    internal static SKRectI Within(PictureCrop? crop, int width, int height) =>
        crop?.Within(width, height) is { } c ? SKRectI.Create(c.Left, c.Top, c.Width, c.Height) : SKRectI.Create(0, 0, width, height);
}
