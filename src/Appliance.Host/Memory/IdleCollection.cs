using Appliance.Ui;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Host.Memory;

/// <summary>When the last HTTP request began or ended, and whether anything happened since the last idle collection.</summary>
public sealed class RequestActivity(TimeProvider time)
{
    private long _lastTicks = time.GetTimestamp();
    private long _epoch;

    public long Epoch => Interlocked.Read(ref _epoch);

    public TimeSpan QuietFor => time.GetElapsedTime(Interlocked.Read(ref _lastTicks));

    public void Touch()
    {
        Interlocked.Exchange(ref _lastTicks, time.GetTimestamp());
        Interlocked.Increment(ref _epoch);
    }

    /// <summary>
    /// Middleware: every request counts as activity when it starts and when it ends, except a <c>GET /health</c>:
    /// a monitor polling it every few seconds would otherwise keep the terminal "busy" for good and its memory at
    /// the last burst's peak (measured in the arm64 VM with the load tool reading /health every 500 ms).
    /// </summary>
    public RequestDelegate Wrap(RequestDelegate next) => async context =>
    {
        if (IsHealthPoll(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        Touch();
        try { await next(context).ConfigureAwait(false); }
        finally { Touch(); }
    };

    private static bool IsHealthPoll(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// After <see cref="Quiet"/> with no request and no pen sample, one blocking, compacting collection that hands the
/// freed heap back to the kernel, after letting go of the free Kestrel blocks (<see cref="BoundedBlockPool"/>) (<see cref="GCCollectionMode.Aggressive"/>): a burst of grabs or big bodies otherwise
/// leaves the process at its peak for as long as nothing else allocates. A task waiting on screen does not hold it
/// off (a page that opened a signature window and went away would keep the peak for the window's whole timeout);
/// only a pen in use does, so the pause (tens of ms) never lands under a stroke. It runs once per quiet spell, not
/// on a timer, so an idle terminal does no work.
/// </summary>
public sealed partial class IdleCollectionService(RequestActivity activity, ScreenService screen, BoundedBlockPoolFactory kestrelPools,
    TimeProvider time, ILogger<IdleCollectionService> logger) : BackgroundService
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var collectedAt = activity.Epoch;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var epoch = activity.Epoch;
                if (epoch == collectedAt || activity.QuietFor < Quiet || screen.PenQuietFor < Quiet) continue;
                var before = Environment.WorkingSet;
                var freeBlocks = kestrelPools.FreeBlocks;
                kestrelPools.TrimAll();
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                NativeHeap.Trim();
                collectedAt = epoch;
                LogCollected(logger, before >> 20, Environment.WorkingSet >> 20, freeBlocks);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "idle: collected, working set {Before} MB -> {After} MB ({FreeBlocks} free Kestrel blocks let go)")]
    private static partial void LogCollected(ILogger logger, long before, long after, int freeBlocks);
}
