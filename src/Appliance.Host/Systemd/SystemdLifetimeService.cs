using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Host.Systemd;

/// <summary>
/// Tells systemd (<c>Type=notify</c>) when the terminal is ready and when it is stopping, and pings the
/// watchdog at half of <c>WATCHDOG_USEC</c> for as long as the process can still schedule work.
/// </summary>
public sealed partial class SystemdLifetimeService(
    SystemdNotifier notifier,
    IHostApplicationLifetime lifetime,
    ILogger<SystemdLifetimeService> logger,
    TimeProvider time) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            if (notifier.Notify($"READY=1\nSTATUS=serving\nMAINPID={Environment.ProcessId}")) LogReady(logger);
        });
        lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1\nSTATUS=stopping"));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = SystemdNotifier.WatchdogInterval(
            Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
        if (interval is null || !notifier.IsEnabled) return;
        var period = interval.Value / 2;
        LogWatchdog(logger, period.TotalMilliseconds);
        using var timer = new PeriodicTimer(period, time);
        try
        {
            do notifier.Notify("WATCHDOG=1");
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping: systemd no longer expects pings once STOPPING=1 was sent.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Told systemd the terminal is ready")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog on: pinging every {PeriodMs} ms")]
    private static partial void LogWatchdog(ILogger logger, double periodMs);
}
