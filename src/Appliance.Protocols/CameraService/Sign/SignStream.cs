using System.Text;
using Appliance.Imaging.Capture;
using Appliance.Imaging.Jpeg;
using Microsoft.AspNetCore.Http;
using SkiaSharp;

namespace Appliance.Protocols.CameraService.Sign;

public sealed partial class SignGroup
{
    internal const string Boundary = "appliance-sign-frame";

    /// <summary>Frames per second at most (§5.1 framerate of the sign screen, "camidx" 10 in the OCX).</summary>
    internal const int StreamFrameRate = 5;

    /// <summary>An unchanged screen is re-sent this often, so a dead viewer is noticed and a late one gets a picture.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);

    /// <summary>
    /// §9.11: the sign screen as <c>multipart/x-mixed-replace</c> MJPEG for an &lt;img&gt;. Each part is what the
    /// panel shows (read back from the framebuffer), JPEG-encoded by libjpeg-turbo, sent when the screen changed.
    /// The last part says why the stream ended (the terminal is shutting down), then the closing boundary.
    /// </summary>
    private async Task StreamAsync(CameraServiceRequest request, HttpContext context)
    {
        var response = context.Response;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = linked.Token;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
        response.Headers.Pragma = "no-cache";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

        var interval = TimeSpan.FromSeconds(1.0 / StreamFrameRate);
        long lastVersion = -1;
        var lastSent = DateTimeOffset.MinValue;
        try
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                var version = screen.FrameVersion;
                var now = DateTimeOffset.UtcNow;
                if (version == lastVersion && now - lastSent < KeepAlive) continue;
                lastVersion = version;
                lastSent = now;
                await WritePartAsync(response, ScreenJpeg(screen.CapturePng()), ct).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            var notice = NoticeFrame.Render("终端服务已停止 / the terminal is shutting down", screen.Width, screen.Height);
            await WritePartAsync(response, notice, CancellationToken.None).ConfigureAwait(false);
            await response.Body.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The viewer closed the page.
        }
        catch (IOException)
        {
            // The viewer's connection broke.
        }
    }

    /// <summary>PNG of the panel → BGRA → JPEG (quality 80).</summary>
    internal static byte[] ScreenJpeg(byte[] png)
    {
        using var decoded = SKBitmap.Decode(png) ?? throw new InvalidOperationException("the screen capture is not a PNG");
        using var bgra = decoded.ColorType == SKColorType.Bgra8888 ? null : decoded.Copy(SKColorType.Bgra8888);
        var bitmap = bgra ?? decoded;
        return JpegCodec.Shared.Encode(bitmap.GetPixelSpan(), bitmap.Width, bitmap.Height, JpegPixels.Bgra, 80);
    }

    private static async Task WritePartAsync(HttpResponse response, byte[] jpeg, CancellationToken ct)
    {
        var header = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n");
        await response.Body.WriteAsync(header, ct).ConfigureAwait(false);
        await response.Body.WriteAsync(jpeg, ct).ConfigureAwait(false);
        await response.Body.WriteAsync("\r\n"u8.ToArray(), ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
