using Appliance.Core.Journal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Adapters.Journal;

/// <summary>
/// Removes results past <c>journal:maxAgeHours</c> (delivered ones past <c>journal:deliveredKeepMinutes</c>) while the terminal sits idle: the journal itself prunes only
/// when it writes a result or starts, so without this an unused terminal would keep old signatures indefinitely.
/// Runs on the host's <see cref="TimeProvider"/> (a fake one in tests).
/// </summary>
public sealed class JournalPruneService(ResultsJournal journal, TimeProvider time, ILogger<JournalPruneService> log) : BackgroundService
{
    /// <summary>How often the age limit is applied; a result outlives its age by at most this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // Made with the service, not in ExecuteAsync (which runs on a pool thread, later): the period counts from here.
    private readonly PeriodicTimer _timer = new(Interval, time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    if (journal.PruneNow() is var removed and > 0)
                        log.LogInformation("journal: retention removed {Count} results (journal:maxAgeHours, journal:deliveredKeepMinutes)", removed);
                }
                catch (IOException e)
                {
                    // A full or failing disk: try again next tick rather than stopping the terminal's housekeeping.
                    log.LogError("journal prune failed: {Reason}", e.Message);
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
