using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Protocols.Admin;

public sealed record AdminError(string Error, string Message);

public sealed record DeviceHealthDto(string Name, string Kind, string State, string Location, string Detail, DateTimeOffset Since);

public sealed record HealthResponse(string Status, string Version, string Board, double UptimeSeconds, IReadOnlyList<DeviceHealthDto> Devices,
    SessionDto Session, MemoryDto Memory);

/// <summary>
/// The process's memory: resident now and at its peak (<c>VmRSS</c>, <c>VmHWM</c> of <c>/proc/self/status</c>; 0 where
/// there is no procfs), the managed heap after the last collection and what the GC holds committed. The load tool reads
/// it through a forwarded port where it cannot see the process (the arm64 VM).
/// </summary>
public sealed record MemoryDto(long RssBytes, long PeakRssBytes, long GcHeapBytes, long GcCommittedBytes);

/// <summary>What is on the terminal's screen for a PC: <c>idle</c>, or <c>busy</c> with the task (never its data).</summary>
public sealed record SessionDto(string State, SessionTaskDto? Task);

public sealed record SessionTaskDto(string Id, string Kind, string State, string Requester, double TimeoutSeconds);

public sealed record PortsDto(int Uos, int CameraService, int Admin);

public sealed record ScreenDto(int Width, int Height, int Rotation, string PixelFormat, string Device);

public sealed record InfoResponse(
    string Name, string Model, string Serial, Guid Uuid, string Version, string Board, string BoardSource,
    PortsDto Ports, ScreenDto Screen, DateTimeOffset StartedAt, IReadOnlyList<string> Addresses);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(InfoResponse))]
public sealed partial class AdminJson : JsonSerializerContext;
