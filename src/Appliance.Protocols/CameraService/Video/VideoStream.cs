using System.Text;
using Appliance.Devices.Camera;
using Appliance.Imaging.Capture;
using Appliance.Imaging.Jpeg;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.CameraService.Video;

public sealed partial class VideoGroup
{
    internal const string Boundary = "appliance-frame";

    /// <summary>
    /// §3.1: <c>multipart/x-mixed-replace</c> MJPEG for an &lt;img&gt;. Camera JPEGs go out as they came
    /// (no re-encoding); the last part is a picture saying why the stream ended (camera closed, removed,
    /// absent), then the closing boundary. A client that cannot keep up skips frames.
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
            var end = e is CameraException { Error: CameraError.Removed } ? "removed" : e is CameraException { Error: not CameraError.Absent } ? "failed" : "not-connected";
            await WritePartAsync(response, NoticeFrame.Render(Shorten(text), 640, 480, _processor.Typeface), ct, StreamParts.End(end)).ConfigureAwait(false);
            await WriteEndAsync(response, ct).ConfigureAwait(false);
            return;
        }

        using (subscription)
        {
            var lastSent = DateTimeOffset.MinValue;
            var (width, height) = (camera.CurrentMode?.Width ?? 640, camera.CurrentMode?.Height ?? 480);
            try
            {
                while (await subscription.NextAsync(ct).ConfigureAwait(false) is { } frame)
                {
                    // param=set applies to running streams: the rate and the preview size are read for every frame.
                    var options = camera.Options;
                    (width, height) = (frame.Width, frame.Height);
                    var minInterval = options.StreamFrameRate > 0 ? TimeSpan.FromSeconds(1.0 / options.StreamFrameRate) : TimeSpan.Zero;
                    if (frame.CapturedAt - lastSent < minInterval) continue;
                    lastSent = frame.CapturedAt;
                    var jpeg = frame.Data;
                    if (options.StreamMaxWidth > 0 && options.StreamMaxHeight > 0)
                    {
                        (width, height) = JpegResizer.Fit(frame.Width, frame.Height, options.StreamMaxWidth, options.StreamMaxHeight);
                        jpeg = JpegResizer.FitWithin(frame.Data, options.StreamMaxWidth, options.StreamMaxHeight, options.StreamJpegQuality);
                    }
                    await WritePartAsync(response, jpeg, ct, StreamParts.Timestamp(frame.CapturedAt)).ConfigureAwait(false);
                }
                var (reason, end) = subscription.EndReason switch
                {
                    StreamEndReason.Removed => (RemovedNotice, "removed"),
                    StreamEndReason.Failed => (FailedNotice, "failed"),
                    _ => (ClosedNotice, "closed"),
                };
                await WritePartAsync(response, NoticeFrame.Render(reason, width, height, _processor.Typeface), ct, StreamParts.End(end)).ConfigureAwait(false);
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

    /// <summary>What the last picture of a stream says (NoticeFrame), by why it ended.</summary>
    internal const string ClosedNotice = "设备被关闭 / camera closed", RemovedNotice = "设备被移除 / camera removed", FailedNotice = "设备异常 / camera failed";

    private static string Shorten(string text) => text.Length > 40 ? text[..40] : text;

    /// <param name="extraHeaders"><see cref="StreamParts"/> headers: the frame's <c>X-Timestamp</c>, or the notice's <c>X-Stream-End</c>.</param>
    private static async Task WritePartAsync(HttpResponse response, byte[] jpeg, CancellationToken ct, string extraHeaders = "")
    {
        var header = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n{extraHeaders}\r\n");
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
