using Appliance.Devices.IdCard;
using SkiaSharp;

namespace Appliance.Imaging.IdCard;

/// <summary>
/// Draws the two faces of a card (the <c>frontingBase64</c>/<c>backingBase64</c> of the UOS <c>idcardinfo</c>)
/// from the fields and photo the reader decoded, at 10 px/mm (856 x 540), as PNG. The CJK font comes from the board profile.
/// </summary>
public sealed class IdCardFaceRenderer(string cjkFontPath) : IDisposable
{
    public const int Width = 856, Height = 540;
    // Loaded at the first card, not at start-up: the terminal answers sooner and an idle one holds one typeface less.
    private readonly Lazy<SKTypeface> _lazyTypeface = new(() =>
        File.Exists(cjkFontPath) ? SKTypeface.FromFile(cjkFontPath) ?? SKTypeface.Default : SKTypeface.Default);

    private SKTypeface Typeface => _lazyTypeface.Value;

    /// <summary>The face with the photo (人像面).</summary>
    public byte[] RenderFront(IdCardData card)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var c = surface.Canvas;
        Background(c);
        using var label = Paint(new SKColor(0x2B, 0x5C, 0x9E));
        using var value = Paint(SKColors.Black);
        using var small = new SKFont(Typeface, 24);
        using var text = new SKFont(Typeface, 28);
        var layout = LayoutOf(card);
        var foreigner = layout == Layout.Foreigner;
        var y = 80f;
        Field(c, foreigner ? "姓名/Name" : "姓　名", foreigner ? $"{card.Name}  {card.NameEn}" : card.Name, 50, y, label, value, small, text);
        y += 60;
        Field(c, "性　别", card.Sex, 50, y, label, value, small, text);
        if (layout == Layout.Mainland) Field(c, "民　族", card.Nation, 250, y, label, value, small, text);
        else if (foreigner) Field(c, "国　籍", card.Nation, 250, y, label, value, small, text);
        y += 60;
        Field(c, "出　生", FormatDate(card.Birthday), 50, y, label, value, small, text);
        y += 60;
        if (!foreigner)
        {
            c.DrawText("住　址", 50, y, SKTextAlign.Left, small, label);
            foreach (var line in Wrap(card.Address, 11))
            {
                c.DrawText(line, 150, y, SKTextAlign.Left, text, value);
                y += 38;
            }
        }
        c.DrawText(foreigner ? "证件号码" : "公民身份号码", 50, 480, SKTextAlign.Left, small, label);
        using var number = new SKFont(Typeface, 34);
        c.DrawText(card.IdNumber, 250, 482, SKTextAlign.Left, number, value);
        Photo(c, card, new SKRect(600, 60, 806, 314));
        return Png(surface);
    }

    /// <summary>The face with the issuing authority and validity (国徽面).</summary>
    public byte[] RenderBack(IdCardData card)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var c = surface.Canvas;
        Background(c);
        using var label = Paint(SKColors.Black);
        using var emblem = Paint(new SKColor(0xC8, 0x1E, 0x1E));
        using var title = new SKFont(Typeface, 48);
        using var small = new SKFont(Typeface, 26);
        c.DrawCircle(130, 130, 70, emblem);
        c.DrawText("中华人民共和国", 520, 130, SKTextAlign.Center, title, label);
        var layout = LayoutOf(card);
        var heading = layout switch
        {
            Layout.HkMacauTaiwan => "港澳台居民居住证",
            Layout.Foreigner => "外国人永久居留身份证",
            _ => "居民身份证",
        };
        c.DrawText(heading, 520, 220, SKTextAlign.Center, title, label);
        c.DrawText("签发机关", 130, 400, SKTextAlign.Left, small, label);
        c.DrawText(card.Issuer, 290, 400, SKTextAlign.Left, small, label);
        c.DrawText("有效期限", 130, 460, SKTextAlign.Left, small, label);
        c.DrawText($"{FormatDate(card.ValidFrom, '.')}-{FormatDate(card.ValidTo, '.')}", 290, 460, SKTextAlign.Left, small, label);
        if (layout == Layout.HkMacauTaiwan)
        {
            c.DrawText("通行证号码", 130, 340, SKTextAlign.Left, small, label);
            c.DrawText($"{card.PassportId}    签发次数 {card.SignCount}", 290, 340, SKTextAlign.Left, small, label);
        }
        return Png(surface);
    }

    private void Photo(SKCanvas c, IdCardData card, SKRect box)
    {
        using var decoded = card.PhotoBmp is { Length: > 0 } bytes ? SKBitmap.Decode(bytes) : null;
        if (decoded is not null)
        {
            using var image = SKImage.FromBitmap(decoded);
            c.DrawImage(image, box, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            return;
        }
        using var frame = Paint(new SKColor(0xB0, 0xB8, 0xC4));
        frame.Style = SKPaintStyle.Stroke;
        frame.StrokeWidth = 2;
        c.DrawRect(box, frame);
        using var note = Paint(new SKColor(0x60, 0x66, 0x70));
        using var font = new SKFont(Typeface, 20);
        var y = box.MidY - 20;
        foreach (var line in Wrap(card.PhotoUnavailableReason.Length > 0 ? "照片无法解码" : "无照片", 9))
        {
            c.DrawText(line, box.MidX, y, SKTextAlign.Center, font, note);
            y += 28;
        }
    }

    private enum Layout { Mainland, HkMacauTaiwan, Foreigner }

    /// <summary>Which card's face to draw; a card of unknown kind is drawn as a mainland card.</summary>
    private static Layout LayoutOf(IdCardData card) => card.Kind switch
    {
        IdCardKind.HkMacauTaiwanResident => Layout.HkMacauTaiwan,
        IdCardKind.ForeignPermanentResident2017 or IdCardKind.ForeignPermanentResident2023 => Layout.Foreigner,
        _ => Layout.Mainland,
    };

    private static void Background(SKCanvas c)
    {
        using var paint = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(Width, Height),
                [new SKColor(0xEE, 0xF3, 0xF8), new SKColor(0xF8, 0xF1, 0xE6)], SKShaderTileMode.Clamp),
        };
        c.DrawRoundRect(new SKRect(0, 0, Width, Height), 30, 30, paint);
    }

    private static void Field(SKCanvas c, string name, string value, float x, float y, SKPaint label, SKPaint paint, SKFont small, SKFont text)
    {
        c.DrawText(name, x, y, SKTextAlign.Left, small, label);
        c.DrawText(value, x + 100, y, SKTextAlign.Left, text, paint);
    }

    private static SKPaint Paint(SKColor color) => new() { Color = color, IsAntialias = true };

    private static IEnumerable<string> Wrap(string text, int perLine)
    {
        for (var i = 0; i < text.Length; i += perLine) yield return text.Substring(i, Math.Min(perLine, text.Length - i));
    }

    /// <summary><c>yyyyMMdd</c> → <c>yyyy年M月d日</c> (or with a separator); anything else (长期) unchanged.</summary>
    private static string FormatDate(string date, char? separator = null)
    {
        if (date.Length != 8 || !date.All(char.IsAsciiDigit)) return date;
        if (separator is { } sep) return $"{date[..4]}{sep}{date[4..6]}{sep}{date[6..]}";
        return $"{date[..4]}年{int.Parse(date[4..6], System.Globalization.CultureInfo.InvariantCulture)}月{int.Parse(date[6..], System.Globalization.CultureInfo.InvariantCulture)}日";
    }

    private static byte[] Png(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose()
    {
        if (_lazyTypeface.IsValueCreated && !ReferenceEquals(Typeface, SKTypeface.Default)) Typeface.Dispose();
    }
}
