using Appliance.TestSupport;
using Appliance.Ui.Images;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Tests;

/// <summary>Pictures by URL from a loopback web server: decoded when whole, refused past the size limit even unannounced.</summary>
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_url_picture_is_downloaded_and_decoded_with_or_without_a_content_length(bool chunked)
    {
        using var server = new LoopbackHttpServer("/ad/1.png", Png(40, 30, new SKColor(0, 0, 255)), chunked: chunked);
        using var bitmap = await new ImageLoader().LoadAsync(UiImageSource.FromUrl(server.Url), Ct);
        Assert.Equal((40, 30), (bitmap.Width, bitmap.Height));
        Assert.Equal(new SKColor(0, 0, 255), bitmap.GetPixel(20, 15));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_picture_over_the_size_limit_is_refused_as_too_large_whether_announced_or_not(bool chunked)
    {
        var body = new byte[300_000];
        Random.Shared.NextBytes(body);
        using var server = new LoopbackHttpServer("/big.png", body, chunked: chunked);
        var e = await Assert.ThrowsAsync<UiImageException>(() => new ImageLoader(maxBytes: 100_000).LoadAsync(UiImageSource.FromUrl(server.Url), Ct));
        Assert.Equal(UiImageFailure.TooLarge, e.Failure);
        Assert.Contains(server.Url.ToString(), e.Message);
    }

    [Fact]
    public async Task A_missing_picture_and_an_unreachable_server_are_unreachable_naming_the_url()
    {
        using var server = new LoopbackHttpServer("/there.png", Png(4, 4, SKColors.Red));
        var missing = new Uri($"http://127.0.0.1:{server.Port}/not-there.png");
        var e = await Assert.ThrowsAsync<UiImageException>(() => new ImageLoader().LoadAsync(UiImageSource.FromUrl(missing), Ct));
        Assert.Equal(UiImageFailure.Unreachable, e.Failure);
        Assert.Contains("HTTP 404", e.Message);

        var closed = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}/x.png");
        e = await Assert.ThrowsAsync<UiImageException>(() => new ImageLoader().LoadAsync(UiImageSource.FromUrl(closed), Ct));
        Assert.Equal(UiImageFailure.Unreachable, e.Failure);
        Assert.Contains(closed.ToString(), e.Message);
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_is_timed_out_naming_the_url()
    {
        // Accepts the connection, reads nothing, sends nothing: only the loader's own timeout ends the wait.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var url = new Uri($"http://127.0.0.1:{port}/stalled.png");
            var accepting = listener.AcceptTcpClientAsync(Ct).AsTask();
            var e = await Assert.ThrowsAsync<UiImageException>(() =>
                new ImageLoader(timeout: TimeSpan.FromMilliseconds(300)).LoadAsync(UiImageSource.FromUrl(url), Ct));
            Assert.Equal(UiImageFailure.TimedOut, e.Failure);
            Assert.Contains(url.ToString(), e.Message);
            (await accepting).Dispose();
        }
        finally
        {
            listener.Stop();
        }
    }
}
