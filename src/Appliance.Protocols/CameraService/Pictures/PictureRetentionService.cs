using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.CameraService.Pictures;

/// <summary>
/// Wipes grabbed images past <c>cameraService:images:keepMinutes</c> while the terminal sits idle (a save trims too, but
/// an unused terminal must not keep a customer's picture). Runs on the host's <see cref="TimeProvider"/> (fake in tests).
/// </summary>
public sealed class PictureRetentionService(PageImageStore store, TimeProvider time, ILogger<PictureRetentionService> log) : BackgroundService
{
    /// <summary>How often the lifetime is applied; a picture outlives it by at most this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Made with the service, not in ExecuteAsync (which runs later, on a pool thread): the period counts from here.
    private readonly PeriodicTimer _timer = new(Interval, time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (store.Trim() is var removed and > 0)
                        log.LogInformation("images: wiped {Count} grabbed pictures past their lifetime or the folder's limits", removed);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A full or failing disk: try again next tick rather than stopping the terminal's housekeeping.
                    log.LogError("images: retention failed ({Kind})", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }
}
