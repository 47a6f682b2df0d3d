using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Identity;

namespace Appliance.Protocols.Admin;

/// <summary>What the admin endpoints report about the running terminal; built once by the host.</summary>
public sealed record TerminalStatus(
    BoardProfile Board,
    TerminalIdentity Identity,
    DeviceHealthRegistry Devices,
    PortsDto Ports,
    string Version,
    DateTimeOffset StartedAt,
    TimeProvider Clock);
