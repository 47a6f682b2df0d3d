using Appliance.Core.Board;
using Appliance.Host;
using Appliance.Host.Configuration;

// appliance --board sim --state-dir DIR [--uos-port N] [--camera-port N] [--admin-port N] [--config FILE] [--key:path=value]
try
{
    var app = ApplianceHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is ConfigurationException or BoardProfileException)
{
    // Exit status 2 is listed in the unit's RestartPreventExitStatus: a wrong profile does not restart-loop.
    await Console.Error.WriteLineAsync($"appliance: cannot start: {e.Message}");
    return 2;
}
