using Appliance.Core.Session;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Adapters.Session;

/// <summary>
/// Starts result delivery with the host and, on stop, before the ports close: aborts the task on screen and waits
/// until its outcome is journaled (and queued to any connected PC), then flushes and closes the PCs' connections.
/// A PC that was not connected gets the journaled outcome when it connects to the next run.
/// </summary>
/// <param name="deliveries">Resolved with this service, so each delivery hears every journaled result from the first one on.</param>
/// <param name="shutdownTimeout">The host's shutdown timeout: the task and the flush together stay within it.</param>
public sealed class SessionLifetimeService(
    TerminalSession session,
    IEnumerable<IResultDelivery> deliveries,
    TimeSpan shutdownTimeout,
    ILogger<SessionLifetimeService> log) : IHostedLifecycleService
{
    private static readonly TimeSpan FlushTime = TimeSpan.FromSeconds(2);
    private readonly IResultDelivery[] _deliveries = [.. deliveries];

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(shutdownTimeout - FlushTime);
        try
        {
            await session.ShutdownAsync("终端正在关闭 / the terminal is shutting down", deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            log.LogError("the task on screen did not end within the shutdown timeout; its outcome may not be journaled");
        }
        await Task.WhenAll(_deliveries.Select(d => d.CloseAsync(FlushTime))).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
