using Appliance.Devices.IdCard;
using Appliance.Imaging.IdCard;
using SkiaSharp;

namespace Appliance.Imaging.Tests.IdCard;

public sealed class IdCardFaceRendererTests
{
    private const string Font = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    private static IdCardData Card(byte[]? photo = null) => new()
    {
        Name = "林示例", Sex = "男", Nation = "汉", Birthday = "19900307", Address = "北京市东城区示例路12号院3号楼4单元501室",
        IdNumber = "110101199003071233", Issuer = "北京市公安局东城分局", ValidFrom = "20200115", ValidTo = "20400115",
        PhotoBmp = photo, PhotoUnavailableReason = "no decoder",
    };

    private static readonly IdCardData Face = Card();

    [Fact]
    public void Front_and_back_are_card_sized_pngs_with_text_drawn()
    {
        using var renderer = new IdCardFaceRenderer(Font);
        foreach (var png in new[] { renderer.RenderFront(Face), renderer.RenderBack(Face) })
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(IdCardFaceRenderer.Width, bitmap.Width);
            Assert.Equal(IdCardFaceRenderer.Height, bitmap.Height);
            var dark = 0;
            for (var y = 0; y < bitmap.Height; y += 2)
                for (var x = 0; x < bitmap.Width; x += 2)
                    if (bitmap.GetPixel(x, y) is { Red: < 80, Green: < 80, Blue: < 80, Alpha: > 200 }) dark++;
            Assert.True(dark > 500, $"only {dark} dark pixels: no text drawn?");
        }
    }

    [Fact]
    public void A_decoded_photo_is_placed_in_the_photo_box()
    {
        using var photo = new SKBitmap(102, 126);
        photo.Erase(new SKColor(200, 0, 0));
        using var data = photo.Encode(SKEncodedImageFormat.Png, 100);
        using var renderer = new IdCardFaceRenderer(Font);
        using var front = SKBitmap.Decode(renderer.RenderFront(Card(data.ToArray())));
        Assert.Equal(new SKColor(200, 0, 0), front.GetPixel(700, 180));
    }
}
