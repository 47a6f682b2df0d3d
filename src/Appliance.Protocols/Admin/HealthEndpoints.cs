using System.Net.NetworkInformation;
using System.Net.Sockets;
using Appliance.Core.Health;
using Appliance.Core.Session;
using Appliance.Protocols.Http;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Admin;

/// <summary><c>GET /health</c> (liveness and every device's state) and <c>GET /info</c> (who and what this terminal is).</summary>
public sealed class HealthEndpoints(TerminalStatus status, TerminalSession session) : IAdminRoutes
{
    public void Map(Router router) => router
        .MapGet("/health", Health)
        .MapGet("/info", Info);

    private Task Health(HttpContext context)
    {
        var devices = status.Devices.Snapshot()
            .Select(d => new DeviceHealthDto(d.Name, d.Kind, StateName(d.State), d.Location, d.Detail, d.Since))
            .ToList();
        // "degraded" tells the operator something needs a look; the terminal still serves what works.
        var overall = devices.Any(d => d.State is "faulted" or "absent") ? "degraded" : "ok";
        var uptime = (status.Clock.GetUtcNow() - status.StartedAt).TotalSeconds;
        return AdminResults.Json(context,
            new HealthResponse(overall, status.Version, status.Board.Name, Math.Round(uptime, 3), devices, Session(), ProcessMemory.Read()),
            AdminJson.Default.HealthResponse);
    }

    private SessionDto Session() => session.Current is { } task
        ? new SessionDto("busy", new SessionTaskDto(task.Id, task.Kind.ToString(), task.State.ToString(),
            $"{task.Requester.Origin} {task.Requester.Peer}", task.Timeout.TotalSeconds))
        : new SessionDto("idle", null);

    private Task Info(HttpContext context)
    {
        var b = status.Board;
        var info = new InfoResponse(
            status.Identity.Name, b.Model, status.Identity.Serial, status.Identity.Uuid, status.Version, b.Name, b.Source,
            status.Ports, new ScreenDto(b.Screen.Width, b.Screen.Height, b.Screen.Rotation, b.Screen.PixelFormat, b.Screen.Device),
            status.StartedAt, LocalAddresses());
        return AdminResults.Json(context, info, AdminJson.Default.InfoResponse);
    }

    public static string StateName(DeviceState state) => state switch
    {
        DeviceState.Starting => "starting",
        DeviceState.Ready => "ready",
        DeviceState.Absent => "absent",
        DeviceState.Faulted => "faulted",
        DeviceState.NotFitted => "not-fitted",
        _ => "unknown",
    };

    private static List<string> LocalAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Where(a => a.Address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !a.Address.IsIPv6LinkLocal)
                .Select(a => a.Address.ToString())
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
