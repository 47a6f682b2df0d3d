using Appliance.TestSupport;
using Appliance.Ui.Images;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Tests;

/// <summary>Pictures from bytes or a stored file: decoded when whole, refused past the size limit, errors naming no path.</summary>
public sealed class ImageLoaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Png(int width, int height, SKColor colour)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [Fact]
    public async Task Bytes_and_a_stored_file_decode_to_the_same_pixels()
    {
        using var dir = new TempDir();
        var png = Png(40, 30, new SKColor(0, 0, 255));
        File.WriteAllBytes(dir.Combine("a.png"), png);
        using var fromBytes = await new ImageLoader().LoadAsync(UiImageSource.FromBytes(png), Ct);
        using var fromFile = await new ImageLoader().LoadAsync(UiImageSource.FromFile(dir.Combine("a.png")), Ct);
        Assert.Equal((40, 30), (fromFile.Width, fromFile.Height));
        Assert.Equal(new SKColor(0, 0, 255), fromBytes.GetPixel(20, 15));
        Assert.Equal(fromBytes.GetPixel(20, 15), fromFile.GetPixel(20, 15));
    }

    [Fact]
    public async Task A_picture_over_the_size_limit_is_too_large_and_a_gone_file_is_unreadable_naming_no_path()
    {
        using var dir = new TempDir();
        var big = new byte[300_000];
        File.WriteAllBytes(dir.Combine("big.png"), big);
        var e = await Assert.ThrowsAsync<UiImageException>(() => new ImageLoader(maxBytes: 100_000).LoadAsync(UiImageSource.FromBytes(big), Ct));
        Assert.Equal(UiImageFailure.TooLarge, e.Failure);
        e = await Assert.ThrowsAsync<UiImageException>(() => new ImageLoader(maxBytes: 100_000).LoadAsync(UiImageSource.FromFile(dir.Combine("big.png")), Ct));
        Assert.Equal(UiImageFailure.TooLarge, e.Failure);
        Assert.DoesNotContain(dir.Path, e.Message);

        e = await Assert.ThrowsAsync<UiImageException>(() => new ImageLoader().LoadAsync(UiImageSource.FromFile(dir.Combine("gone.png")), Ct));
        Assert.Equal(UiImageFailure.Unreadable, e.Failure);
        Assert.DoesNotContain(dir.Path, e.Message);

        e = await Assert.ThrowsAsync<UiImageException>(() => new ImageLoader().LoadAsync(UiImageSource.FromBytes(new byte[] { 1, 2, 3 }), Ct));
        Assert.Equal(UiImageFailure.NotAnImage, e.Failure);
    }
}
