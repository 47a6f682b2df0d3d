using Appliance.Core.Board;
using Appliance.Host;
using Appliance.Host.Configuration;

// appliance --board sim --state-dir DIR [--uos-port N] [--camera-port N] [--admin-port N] [--config FILE] [--key:path=value]
// Exit statuses (README "Exit statuses"): 0 stopped, 2 configuration, 3 a port is in use.
WebApplication app;
try
{
    app = ApplianceHost.Build(args);
}
catch (Exception e) when (e is ConfigurationException or BoardProfileException)
{
    // Exit status 2 is listed in the unit's RestartPreventExitStatus: a wrong profile does not restart-loop.
    await Console.Error.WriteLineAsync($"appliance: cannot start: {e.Message}");
    return StartupFailure.Configuration;
}

var options = app.Services.GetRequiredService<ApplianceOptions>();
if (StartupFailure.FindPortInUse(options) is { } taken)
{
    await Console.Error.WriteLineAsync($"appliance: cannot start: {taken}");
    await app.DisposeAsync();
    return StartupFailure.PortInUse;
}
try
{
    await app.StartAsync();
}
catch (Exception e) when (StartupFailure.PortInUseMessage(e, options) is { } busy)
{
    await Console.Error.WriteLineAsync($"appliance: cannot start: {busy}");
    await StopQuietlyAsync(app);
    return StartupFailure.PortInUse;
}
await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;

// The features that did start (screen, cameras, serial devices) are stopped; what they say on the way out is theirs.
static async Task StopQuietlyAsync(WebApplication app)
{
    try
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }
    catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException or AggregateException)
    {
        // Exiting anyway.
    }
}
