using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Protocols.Admin;

public sealed record AdminError(string Error, string Message);

public sealed record DeviceHealthDto(string Name, string Kind, string State, string Location, string Detail, DateTimeOffset Since);

public sealed record HealthResponse(string Status, string Version, string Board, double UptimeSeconds, IReadOnlyList<DeviceHealthDto> Devices,
    SessionDto Session);

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
