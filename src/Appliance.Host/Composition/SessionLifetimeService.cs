using Appliance.Core.Session;
using Appliance.Protocols.Uos;
using Microsoft.Extensions.Options;

namespace Appliance.Host.Composition;

/// <summary>
/// Starts result delivery with the host and, on stop, before the ports close: aborts the task on screen and waits
/// until its outcome is journaled (and queued to any connected PC), then flushes and closes the UOS connections.
/// A PC that was not connected gets the journaled outcome when it connects to the next run.
/// </summary>
internal sealed class SessionLifetimeService(
    TerminalSession session,
    UosResultDelivery delivery,
    UosConnectionRegistry connections,
    IOptions<HostOptions> host,
    ILogger<SessionLifetimeService> log) : IHostedLifecycleService
{
    private static readonly TimeSpan FlushTime = TimeSpan.FromSeconds(2);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = delivery; // constructed with the host so that it hears every journaled result from the first one on
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(host.Value.ShutdownTimeout - FlushTime);
        try
        {
            await session.ShutdownAsync("终端正在关闭 / the terminal is shutting down", deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            log.LogError("the task on screen did not end within the shutdown timeout; its outcome may not be journaled");
        }
        await connections.CloseAllAsync(FlushTime).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
