using System.Text.Json;
using Appliance.Core.Documents;
using Appliance.Core.Screen;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.CameraService.SignPdf;

/// <summary>
/// Reads <c>show_sign_pdf</c>'s params (seed 003 §9.6). Every value the seed types as a string is accepted as a string
/// or its JSON scalar; each malformed one is code 1 naming it, an oversized document 8.
/// </summary>
internal static class SignPdfParser
{
    /// <summary>Where the signature window opens when <c>pos</c> is absent: centred, below the caption, above the buttons.</summary>
    internal static readonly UiPos DefaultSignaturePos = UiPos.FromEdges(new UiEdges(
        UiLength.Percent(15), UiLength.Percent(25), UiLength.Percent(85), UiLength.Percent(75)));

    public static DocumentPenMode Mode(CameraServiceRequest request) =>
        (request.String("default_mode")?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "drag" => DocumentPenMode.Drag,
            "sign" => DocumentPenMode.Sign,
            "remark" => DocumentPenMode.Remark,
            var other => throw Bad($"default_mode 应为 drag/sign/remark / default_mode must be drag, sign or remark, found \"{other}\""),
        };

    public static DocumentZoom Zoom(CameraServiceRequest request)
    {
        var text = request.String("preview_zoom")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text) || text == "fit_width") return DocumentZoom.FitWidth;
        if (text == "fit_height") return DocumentZoom.FitHeight;
        if (text == "no_zoom") return DocumentZoom.NoZoom;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent is >= 1 and <= 100)
            return DocumentZoom.Of(percent);
        throw Bad($"preview_zoom 应为 1-100、no_zoom、fit_width 或 fit_height / preview_zoom must be 1-100, no_zoom, fit_width or fit_height, found \"{text}\"");
    }

    /// <summary><c>pos</c> {top, left, width, height}: pixels, or percent of the screen with a % sign.</summary>
    public static UiPos SignaturePos(CameraServiceRequest request)
    {
        if (request.Object("pos") is not { } pos) return DefaultSignaturePos;
        if (pos.ValueKind != JsonValueKind.Object) throw Bad("pos 应为对象 / pos must be an object {top, left, width, height}");
        UiLength Length(string name)
        {
            var text = CameraServiceRequest.Member(pos, name);
            if (text is null) throw Bad($"pos 缺少 {name} / pos needs top, left, width and height; {name} is missing");
            if (!UiLength.TryParse(text, out var length) || length.Value < 0)
                throw Bad($"pos.{name} 无效 / pos.{name} must be a number of pixels or a percentage, found \"{text}\"");
            return length;
        }
        var (left, top, width, height) = (Length("left"), Length("top"), Length("width"), Length("height"));
        if (width.Value <= 0 || height.Value <= 0) throw Bad("pos 的宽高须大于 0 / pos.width and pos.height must be above 0");
        if (left.IsPercent != width.IsPercent || top.IsPercent != height.IsPercent)
            throw Bad("pos 的位置与宽高须同一单位 / pos: left with width and top with height must use the same unit");
        return UiPos.FromEdges(new UiEdges(left, top, Add(left, width), Add(top, height)));
    }

    private static UiLength Add(UiLength a, UiLength b) => new(a.Value + b.Value, a.IsPercent);

    /// <summary>The document's bytes: <c>base64</c> when given, else the file <c>file_path</c> names inside the configured folder.</summary>
    public static async Task<(byte[] Pdf, string FilePath)> DocumentAsync(CameraServiceRequest request, SignPdfOptions options, CancellationToken ct)
    {
        var filePath = request.String("file_path") ?? "";
        var base64 = request.String("base64");
        byte[] pdf;
        if (!string.IsNullOrWhiteSpace(base64))
        {
            if ((long)base64.Length * 3 / 4 > BodyLimits.Document)
                throw new CameraServiceException(ErrorCode.TooLarge, $"文档过大 / the document is larger than {BodyLimits.Document / (1024 * 1024)} MiB");
            var buffer = new byte[base64.Length * 3 / 4 + 3];
            if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var length))
                throw Bad("base64 无法解码 / base64 is not valid base64");
            pdf = buffer.AsSpan(0, length).ToArray();
        }
        else if (!string.IsNullOrWhiteSpace(filePath))
        {
            pdf = await ReadInFolderAsync(filePath, options, ct).ConfigureAwait(false);
        }
        else
        {
            throw Bad("需要 base64 或 file_path / send the document as base64 (or file_path inside the terminal's document folder)");
        }
        // PDF readers accept the header within the first KiB (ISO 32000-2 annex: junk before it is tolerated).
        if (pdf.Length < 8 || pdf.AsSpan(0, Math.Min(pdf.Length, 1024)).IndexOf("%PDF-"u8) < 0)
            throw Bad("不是 PDF 文档 / the document is not a PDF (no %PDF- header)");
        return (pdf, filePath);
    }

    private static async Task<byte[]> ReadInFolderAsync(string filePath, SignPdfOptions options, CancellationToken ct)
    {
        if (options.DocumentFolder.Length == 0)
            throw Bad("此终端不读取文件 / this terminal reads no files by file_path (signPdf:documentFolder is not set); send base64");
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DocumentFolder));
        var full = Path.GetFullPath(filePath, folder);
        var inside = full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        // A symbolic link inside the folder may point out of it: the file must resolve inside too.
        if (inside && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target)
            inside = Path.GetFullPath(target.FullName).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (!inside) throw new CameraServiceException(ErrorCode.NotPermitted, $"file_path 不在文档目录内 / file_path must name a file inside the terminal's document folder");
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists) throw Bad("文件不存在 / no such document in the terminal's document folder");
            if (info.Length > BodyLimits.Document)
                throw new CameraServiceException(ErrorCode.TooLarge, $"文档过大 / the document is larger than {BodyLimits.Document / (1024 * 1024)} MiB");
            return await File.ReadAllBytesAsync(full, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad("文件无法读取 / the document could not be read");
        }
    }

    private static CameraServiceException Bad(string message) => new(ErrorCode.BadRequest, message);
}
