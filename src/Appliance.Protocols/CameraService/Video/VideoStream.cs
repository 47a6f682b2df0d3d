using Appliance.Core.Capture;
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
        var ct = context.RequestAborted;
        var stream = MjpegStreamWriter.Start(context, Boundary);

        ICameraChannel camera;
        try
        {
            camera = Camera(request);
        }
        catch (CameraServiceException e)
        {
            await stream.EndAsync(notices.Render(Shorten(e.Message), 640, 480), EndWord(CameraStreamEnd.NotConnected), ct).ConfigureAwait(false);
            return;
        }

        using var frames = camera.Subscribe();
        if (frames.StartFailure is { } refused)
        {
            await stream.EndAsync(notices.Render(Shorten(refused.Message), 640, 480), EndWord(frames.EndReason), ct).ConfigureAwait(false);
            return;
        }

        var lastSent = DateTimeOffset.MinValue;
        var (width, height) = (camera.CurrentMode?.Width ?? 640, camera.CurrentMode?.Height ?? 480);
        try
        {
            while (await frames.NextAsync(ct).ConfigureAwait(false) is { } frame)
            {
                // param=set applies to running streams: the rate and the preview size are read for every frame.
                var options = camera.StreamOptions;
                (width, height) = (frame.Width, frame.Height);
                var minInterval = options.FrameRate > 0 ? TimeSpan.FromSeconds(1.0 / options.FrameRate) : TimeSpan.Zero;
                if (frame.CapturedAt - lastSent < minInterval) continue;
                lastSent = frame.CapturedAt;
                var jpeg = frame.Jpeg;
                if (options.MaxWidth > 0 && options.MaxHeight > 0)
                {
                    (width, height) = resizer.Fit(frame.Width, frame.Height, options.MaxWidth, options.MaxHeight);
                    jpeg = resizer.FitWithin(frame.Jpeg, options.MaxWidth, options.MaxHeight, options.JpegQuality);
                }
                await stream.WriteFrameAsync(jpeg, frame.CapturedAt, ct).ConfigureAwait(false);
            }
            var reason = frames.EndReason switch
            {
                CameraStreamEnd.Removed => RemovedNotice,
                CameraStreamEnd.Failed => FailedNotice,
                _ => ClosedNotice,
            };
            await stream.EndAsync(notices.Render(reason, width, height), EndWord(frames.EndReason), ct).ConfigureAwait(false);
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

    /// <summary>What the last picture of a stream says (a notice picture), by why it ended.</summary>
    internal const string ClosedNotice = "设备被关闭 / camera closed", RemovedNotice = "设备被移除 / camera removed", FailedNotice = "设备异常 / camera failed";

    /// <summary>The <c>X-Stream-End</c> word (<see cref="StreamParts.End"/>).</summary>
    private static string EndWord(CameraStreamEnd end) => end switch
    {
        CameraStreamEnd.Removed => "removed",
        CameraStreamEnd.Failed => "failed",
        CameraStreamEnd.NotConnected => "not-connected",
        _ => "closed",
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] : text;
}
