using Appliance.Adapters.Camera;
using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Devices.Camera;
using Appliance.Host.Configuration;
using Appliance.Imaging.Jpeg;
using Appliance.Protocols.CameraService;
using Appliance.Protocols.CameraService.Video;
using Appliance.Simulators.Camera;

namespace Appliance.Host.Composition;

/// <summary>
/// The cameras: one <see cref="CameraChannel"/> per entry of the board profile's <c>cameras</c> map
/// (<c>camidx</c> → V4L2 node, or the sim scene), bound once to the camera port (<see cref="Core.Capture.ICameraSet"/>) that
/// CameraService <c>video=</c>/<c>param=</c> and the UOS camera commands share, the <c>video=</c> group on the
/// CameraService port, and <c>cameraN</c> in the health registry.
/// </summary>
internal static class CameraFeature
{
    public static IServiceCollection AddCameraFeature(this IServiceCollection services, BoardProfile board, ApplianceOptions options, DeviceHealthRegistry health)
    {
        var simulated = new List<SimulatedCamera>();
        var channels = new List<CameraChannel>();
        foreach (var (key, profile) in board.Cameras)
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)) continue;
            Func<V4l2Camera> open;
            if (profile.Device == BoardProfile.Simulated)
            {
                var sim = new SimulatedCamera(index, profile.Role);
                simulated.Add(sim);
                open = sim.Open;
            }
            else
            {
                var path = profile.Device;
                open = () => V4l2Camera.Open(path);
            }
            var channel = new CameraChannel(index, profile.Role, open, JpegCodec.Shared);
            var location = profile.Device;
            var kind = $"camera:{profile.Role}";
            channel.StateChanged += c => health.Report($"camera{c.Index}", kind, c.State switch
            {
                CameraChannelState.Absent => DeviceState.Absent,
                _ => DeviceState.Ready,
            }, location, c.Detail);
            channels.Add(channel);
        }

        var cameras = new CameraSet(channels);
        services.AddSingleton(cameras);
        services.AddSingleton<Core.Capture.ICameraSet>(new CameraSetAdapter(cameras));
        services.AddSingleton<IReadOnlyList<SimulatedCamera>>(simulated);
        services.AddSingleton(new CameraServiceOptions { ImageDirectory = Path.Combine(options.StateDir, "images") });
        services.AddSingleton<ICameraServiceGroup, VideoGroup>();
        services.AddHostedService<CameraProbeService>();
        return services;
    }

    /// <summary>Looks at every camera once at start (off the startup path) and closes them all on stop.</summary>
    private sealed class CameraProbeService(CameraSet cameras) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
        {
            foreach (var camera in cameras.All)
            {
                if (stoppingToken.IsCancellationRequested) return;
                camera.Probe();
            }
        }, stoppingToken);

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            await cameras.DisposeAsync().ConfigureAwait(false);
        }
    }
}
