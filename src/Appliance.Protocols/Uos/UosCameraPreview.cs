using Appliance.Core.Capture;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Uos;

/// <summary>
/// <c>previewcamera</c> streams: per connection, a loop that grabs the camera's latest JPEG at
/// <see cref="UosOptions.PreviewFramesPerSecond"/> and sends it as <c>camerabase64</c>. A client that cannot keep up
/// skips frames instead of filling its queue; the stream ends on <c>stopcamera</c>, an error, or disconnect.
/// </summary>
public sealed class UosCameraPreview(UosOptions options, TimeProvider time, ILogger<UosCameraPreview> log)
{
    /// <summary>Frames a client may have waiting before the next one is skipped.</summary>
    private const int MaxQueuedFrames = 2;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CancellationTokenSource> _streams = [];

    public int ActiveStreams
    {
        get { lock (_gate) return _streams.Count; }
    }

    public void Start(UosConnection connection, ICameraCapture camera)
    {
        CancellationTokenSource stop;
        lock (_gate)
        {
            if (_streams.ContainsKey(connection.Id)) return; // already previewing: one stream per connection
            stop = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing);
            _streams[connection.Id] = stop;
        }
        _ = Task.Run(() => StreamAsync(connection, camera, stop));
    }

    public void Stop(UosConnection connection)
    {
        CancellationTokenSource? stop;
        lock (_gate)
        {
            if (!_streams.Remove(connection.Id, out stop)) return;
        }
        stop.Cancel();
    }

    private async Task StreamAsync(UosConnection connection, ICameraCapture camera, CancellationTokenSource stop)
    {
        var cancel = stop.Token;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.PreviewFramesPerSecond), time);
        try
        {
            do
            {
                var jpeg = await camera.GrabPreviewJpegAsync(cancel).ConfigureAwait(false);
                var frame = UosMessages.Response("camerabase64", Convert.ToBase64String(jpeg));
                // Queued under the lock Stop removes the stream under: once stopcamera is handled, no frame grabbed
                // before it goes out after its answer.
                lock (_gate)
                {
                    if (!_streams.TryGetValue(connection.Id, out var current) || current != stop) return;
                    connection.TrySendDroppable(frame, MaxQueuedFrames);
                }
            }
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
        catch (CaptureException e)
        {
            log.LogWarning("camera preview for {Connection} ended: {Reason}", connection.Id, e.Message);
            connection.TrySend(UosMessages.Error(ErrorCodes.For(e.Failure), $"摄像头预览中断 / camera preview stopped: {e.Message}"));
        }
        finally
        {
            lock (_gate)
            {
                if (_streams.TryGetValue(connection.Id, out var current) && current == stop) _streams.Remove(connection.Id);
            }
            stop.Dispose();
        }
    }
}
