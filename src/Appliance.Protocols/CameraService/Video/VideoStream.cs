using System.Text;
using Appliance.Devices.Camera;
using Appliance.Imaging.Capture;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.CameraService.Video;

public sealed partial class VideoGroup
{
    internal const string Boundary = "appliance-frame";

    /// <summary>
    /// §3.1: <c>multipart/x-mixed-replace</c> MJPEG for an &lt;img&gt;. Camera JPEGs go out as they came
    /// (no re-encoding); the last part is a picture saying why the stream ended (camera closed, removed,
    /// absent), then the closing boundary. That part also names the reason for programs, in an
    /// <c>X-Stream-End</c> part header (<c>closed</c>, <c>removed</c>, <c>failed</c>, <c>unavailable</c>) that an
    /// &lt;img&gt; ignores. A client that cannot keep up skips frames.
    /// </summary>
    private async Task StreamAsync(CameraServiceRequest request, HttpContext context)
    {
        var response = context.Response;
        var ct = context.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
        response.Headers.Pragma = "no-cache";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

        CameraChannel camera;
        FrameSubscription subscription;
        try
        {
            camera = Camera(request);
            subscription = camera.Subscribe();
        }
        catch (Exception e) when (e is CameraServiceException or CameraException)
        {
            var text = e is CameraException ce ? Translate(ce).Message : e.Message;
            await WritePartAsync(response, NoticeFrame.Render(Shorten(text), 640, 480, _processor.Typeface), ct, "unavailable").ConfigureAwait(false);
            await WriteEndAsync(response, ct).ConfigureAwait(false);
            return;
        }

        using (subscription)
        {
            var minInterval = camera.Options.StreamFrameRate > 0 ? TimeSpan.FromSeconds(1.0 / camera.Options.StreamFrameRate) : TimeSpan.Zero;
            var lastSent = DateTimeOffset.MinValue;
            var (width, height) = (camera.CurrentMode?.Width ?? 640, camera.CurrentMode?.Height ?? 480);
            try
            {
                while (await subscription.NextAsync(ct).ConfigureAwait(false) is { } frame)
                {
                    (width, height) = (frame.Width, frame.Height);
                    if (frame.CapturedAt - lastSent < minInterval) continue;
                    lastSent = frame.CapturedAt;
                    await WritePartAsync(response, frame.Data, ct).ConfigureAwait(false);
                }
                var (reason, token) = EndNotice(subscription.EndReason);
                await WritePartAsync(response, NoticeFrame.Render(reason, width, height, _processor.Typeface), ct, token).ConfigureAwait(false);
                await WriteEndAsync(response, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The viewer closed the page.
            }
            catch (IOException)
            {
                // The viewer's connection broke.
            }
        }
    }

    /// <summary>What the last picture says, and its <c>X-Stream-End</c> token.</summary>
    private static (string Text, string Token) EndNotice(StreamEndReason reason) => reason switch
    {
        StreamEndReason.Removed => ("设备被移除 / camera removed", "removed"),
        StreamEndReason.Failed => ("设备异常 / camera failed", "failed"),
        _ => ("设备被关闭 / camera closed", "closed"),
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] : text;

    /// <param name="endReason">For the last part: why the stream ends (the <c>X-Stream-End</c> header).</param>
    private static async Task WritePartAsync(HttpResponse response, byte[] jpeg, CancellationToken ct, string? endReason = null)
    {
        var end = endReason is null ? "" : $"X-Stream-End: {endReason}\r\n";
        var header = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n{end}\r\n");
        await response.Body.WriteAsync(header, ct).ConfigureAwait(false);
        await response.Body.WriteAsync(jpeg, ct).ConfigureAwait(false);
        await response.Body.WriteAsync("\r\n"u8.ToArray(), ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteEndAsync(HttpResponse response, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"), ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
