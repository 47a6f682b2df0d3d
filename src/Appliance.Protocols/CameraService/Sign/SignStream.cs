using Appliance.Core.Screen;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.CameraService.Sign;

public sealed partial class SignGroup
{
    internal const string Boundary = "appliance-sign-frame";

    /// <summary>How often the screen is looked at; a frame goes out when it changed and the frame rate allows.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>An unchanged screen is re-sent this often, so a dead viewer is noticed and a late one gets a picture.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);

    /// <summary>
    /// §9.11: the sign screen as <c>multipart/x-mixed-replace</c> MJPEG for an &lt;img&gt;. Each part is what the
    /// panel shows (<see cref="ITerminalScreen.CaptureJpeg"/>), sent when the screen changed, at
    /// most <see cref="SignStreamOptions.FrameRate"/> a second (param=set framerate, camidx 10), fitted into
    /// <see cref="SignStreamOptions.MaxSize"/> when set (preview_resolution, camidx 10). Parts carry <c>X-Timestamp</c>.
    /// The last part says why the stream ended (the terminal is shutting down), then the closing boundary.
    /// </summary>
    private async Task StreamAsync(CameraServiceRequest request, HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = linked.Token;
        var stream = MjpegStreamWriter.Start(context, Boundary);

        long lastVersion = -1;
        var lastSent = DateTimeOffset.MinValue;
        var size = screen.Size;
        try
        {
            using var timer = new PeriodicTimer(Poll);
            do
            {
                // Read every time: a param=set on a running stream applies to its next frame.
                var interval = TimeSpan.FromSeconds(1.0 / streamOptions.FrameRate);
                var version = screen.FrameVersion;
                var now = DateTimeOffset.UtcNow;
                if (now - lastSent < interval) continue;
                if (version == lastVersion && now - lastSent < KeepAlive) continue;
                lastVersion = version;
                lastSent = now;
                var frame = screen.CaptureJpeg(streamOptions.MaxSize is { } box ? new PixelSize(box.Width, box.Height) : null);
                size = frame.Size;
                await stream.WriteFrameAsync(frame.Jpeg, now, ct).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            var notice = screen.RenderNoticeJpeg(ShutdownNotice, size);
            await stream.EndAsync(notice, "shutdown", CancellationToken.None).ConfigureAwait(false);
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

    /// <summary>What the last picture of a sign-screen stream says.</summary>
    internal const string ShutdownNotice = "终端服务已停止 / the terminal is shutting down";
}
