namespace Appliance.Core.Health;

/// <summary>How one device is doing, as <c>GET /health</c> reports it.</summary>
public enum DeviceState
{
    /// <summary>Configured, not opened yet.</summary>
    Starting,
    /// <summary>Opened and answering.</summary>
    Ready,
    /// <summary>Configured but not there (unplugged, node missing); retried in the background.</summary>
    Absent,
    /// <summary>There but failing.</summary>
    Faulted,
    /// <summary>The board has no such device.</summary>
    NotFitted,
}

public sealed record DeviceStatus(string Name, string Kind, DeviceState State, string Location, string Detail, DateTimeOffset Since);

/// <summary>
/// The one place drivers report their state; <c>/health</c> and the idle screen read it.
/// Thread-safe: drivers report from their own loops.
/// </summary>
public sealed class DeviceHealthRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeviceStatus> _devices = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public DeviceHealthRegistry(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public event Action<DeviceStatus>? Changed;

    public void Report(string name, string kind, DeviceState state, string location, string detail = "")
    {
        DeviceStatus status;
        lock (_gate)
        {
            if (_devices.TryGetValue(name, out var old) && old.State == state && old.Detail == detail && old.Location == location)
                return;
            status = new DeviceStatus(name, kind, state, location, detail, _time.GetUtcNow());
            _devices[name] = status;
        }
        Changed?.Invoke(status);
    }

    public IReadOnlyList<DeviceStatus> Snapshot()
    {
        lock (_gate) return [.. _devices.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];
    }

    public DeviceStatus? Get(string name)
    {
        lock (_gate) return _devices.GetValueOrDefault(name);
    }
}
