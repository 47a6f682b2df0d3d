using Appliance.Core.Session;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Discovery;

/// <summary>Runs the mDNS responder for the host's lifetime, its TXT <c>state</c> following the session; goodbyes go out on stop.</summary>
public sealed class DiscoveryService(TerminalAdvertiser advertiser, TerminalSession session, ILogger<DiscoveryService> logger) : IHostedService
{
    private IDisposable? _following;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        advertiser.Responder.LogSink = message => logger.LogInformation("mDNS: {Message}", message);
        _following = advertiser.Follow(session);
        try
        {
            advertiser.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // The terminal still serves its ports; it is just not discoverable.
            logger.LogError("mDNS responder could not start: {Message}", e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _following?.Dispose();
        return advertiser.StopAsync();
    }
}
