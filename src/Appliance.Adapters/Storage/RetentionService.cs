using Appliance.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Adapters.Storage;

/// <summary>
/// Applies every personal-data store's lifetime (<see cref="IRetention"/>: the results journal, the grabbed images)
/// once a minute while the terminal sits idle: the stores prune only when they write, so without this an unused
/// terminal would keep a customer's signature or picture past its lifetime. Runs on the host's
/// <see cref="TimeProvider"/> (a fake one in tests).
/// </summary>
public sealed class RetentionService(IEnumerable<IRetention> stores, TimeProvider time, ILogger<RetentionService> log) : BackgroundService
{
    /// <summary>How often the lifetimes are applied; data outlives its lifetime by at most this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Made with the service, not in ExecuteAsync (which runs on a pool thread, later): the period counts from here.
    private readonly PeriodicTimer _timer = new(Interval, time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                foreach (var store in stores)
                {
                    try
                    {
                        if (store.ApplyRetention() is var removed and > 0)
                            log.LogInformation("{Store}: retention removed {Count} items past their lifetime or the limits", store.RetentionName, removed);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // A full or failing disk: try again next tick rather than stopping the terminal's housekeeping.
                        log.LogError("{Store}: retention failed ({Kind})", store.RetentionName, e.GetType().Name);
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
