using System.Net;
using System.Reflection;
using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Identity;
using Appliance.Host.Composition;
using Appliance.Host.Configuration;
using Appliance.Host.Devices;
using Appliance.Host.Logging;
using Appliance.Host.Memory;
using Appliance.Host.Systemd;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Hosting;
using Appliance.SimBoard;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Appliance.Host;

/// <summary>
/// The composition root: configuration → board profile → the terminal → its features (screen, devices, session,
/// LAN; on a simulated board the sim board module) → the three ports. Each feature registers itself in
/// <c>Composition/</c>; what it does lives in the project that owns it.
/// </summary>
public static class ApplianceHost
{
    public static string Version { get; } =
        typeof(ApplianceHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Builds the terminal. Throws <see cref="ConfigurationException"/> or <see cref="BoardProfileException"/> when it cannot start.</summary>
    /// <param name="testServices">Tests only: replaces services after the composition root registered them.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? testServices = null)
    {
        NativeHeap.Configure();
        // No file watching and no content root in the working directory: the defaults add appsettings.json with
        // reloadOnChange, whose watcher walks the content root (the working directory: "/" under systemd) and puts an
        // inotify watch on every directory below it before the first request (783 directories opened from /tmp,
        // measured with strace). The terminal's configuration comes from ApplianceConfiguration alone.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        ApplianceConfiguration.AddSources(builder.Configuration, args);
        try
        {
            return Build(builder, testServices);
        }
        catch (ConfigurationException e)
        {
            // Said once for every feature's keys: a bad value from the config file names the file.
            throw ApplianceConfiguration.Locate(builder.Configuration, e);
        }
    }

    private static WebApplication Build(WebApplicationBuilder builder, Action<IServiceCollection>? testServices)
    {
        var options = ApplianceConfiguration.Read(builder.Configuration);
        builder.Logging.AddApplianceLogging(options.LogFormat, builder.Configuration);

        var searchPath = options.BoardPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(BoardProfileLoader.DefaultSearchPath);
        var board = BoardProfileLoader.Load(options.Board, searchPath);
        CheckStartConditions(options, board);
        var identity = TerminalIdentity.LoadOrCreate(options.StateDir, board.Identity.SerialFile, board.Model);
        var devices = new DeviceHealthRegistry();
        BoardDeviceInventory.Register(board, devices);

        var services = builder.Services;
        AddTerminal(services, options, board, identity, devices);
        // The features, in the order their hosted services start (they stop in reverse).
        services.AddScreen(board, options.StateDir, devices, identity, (float)options.TextScale);
        services.AddSerialDevices(board, options.StateDir);
        services.AddSessionFeature(builder.Configuration, options, board);
        services.AddIndicators(board);
        services.AddVoice(builder.Configuration, board);
        services.AddCameraServiceGroups(builder.Configuration, options.StateDir);
        services.AddDocuments(builder.Configuration, options.StateDir, $"{identity.Name} {identity.Serial}");
        services.AddOrders(builder.Configuration, options.StateDir, $"{identity.Name} {identity.Serial}");
        services.AddImageWork(board);
        services.AddCameraFeature(board, options, devices);
        services.AddSmartCardFeature(board, devices);
        builder.AddLanFeature(options, board, identity);
        if (SimBoardModule.Simulates(board)) services.AddSimBoard(board, options.StateDir);
        AddPorts(builder, options);

        testServices?.Invoke(services);

        var app = builder.Build();
        app.Use(app.Services.GetRequiredService<RequestActivity>().Wrap);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        var dispatcher = app.Services.GetRequiredService<PortDispatcher>();
        app.Run(dispatcher.DispatchAsync);
        return app;
    }

    /// <summary>
    /// What the terminal cannot run without, said in one line each (exit status 2): a state directory it can read and
    /// write, and on a real board the screen's device node. Other peripherals may be absent at start: they show as
    /// absent in /health. A screen node that exists but fails to open still falls back to memory (BoardScreen).
    /// </summary>
    private static void CheckStartConditions(ApplianceOptions options, BoardProfile board)
    {
        if (Core.Storage.StateDirectory.Problem(options.StateDir) is { } problem)
            throw new ConfigurationException("stateDir", problem);
        var screen = board.Screen.Device;
        if (screen != BoardProfile.Simulated && !File.Exists(screen))
            throw new BoardProfileException(board.Source, "screen.device", $"the screen's device node {screen} does not exist (display driver not loaded?)");
    }

    /// <summary>The terminal itself: its options, board, identity, device health, clock, status and systemd notifications.</summary>
    private static void AddTerminal(IServiceCollection services, ApplianceOptions options, BoardProfile board, TerminalIdentity identity, DeviceHealthRegistry devices)
    {
        services.AddSingleton(options);
        services.AddSingleton(board);
        services.AddSingleton(identity);
        services.AddSingleton(devices);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new TerminalStatus(board, identity, devices,
            new PortsDto(options.Ports.Uos, options.Ports.CameraService, options.Ports.Admin), Version, DateTimeOffset.UtcNow, TimeProvider.System));
        services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        services.AddSingleton(SystemdNotifier.FromEnvironment());
        services.AddHostedService<SystemdLifetimeService>();
        services.AddSingleton<RequestActivity>();
        services.AddSingleton<BoundedBlockPoolFactory>();
        services.AddSingleton<IMemoryPoolFactory<byte>>(sp => sp.GetRequiredService<BoundedBlockPoolFactory>());
        services.AddHostedService<IdleCollectionService>();
    }

    /// <summary>The three ports, each serving its own application; after the LAN feature, whose TLS sets every endpoint's defaults.</summary>
    private static void AddPorts(WebApplicationBuilder builder, ApplianceOptions options)
    {
        builder.Services.AddAdminPort();
        builder.Services.AddUosPort();
        builder.Services.AddCameraServicePort();
        builder.Services.AddSingleton<PortDispatcher>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ApplyMemoryLimits(kestrel.Limits);
            Listen(kestrel, options.Bind, options.Ports.Uos, PortRole.Uos);
            Listen(kestrel, options.Bind, options.Ports.CameraService, PortRole.CameraService);
            Listen(kestrel, options.Bind, options.Ports.Admin, PortRole.Admin);
        });
    }

    /// <summary>Connections across the three ports; each costs socket buffers and pool blocks (docs/BUDGETS.md).</summary>
    public const int MaxConnections = 512;

    /// <summary>Of those, WebSockets (UOS and CameraService pages keep one open each).</summary>
    public const int MaxWebSockets = 256;

    /// <summary>
    /// What Kestrel reads ahead of a handler per connection (default 1 MB): with <see cref="MaxConnections"/> clients
    /// sending bodies nobody reads yet that is 32 MB, not 512 MB.
    /// </summary>
    public const long RequestReadAhead = 64 * 1024;

    private static void ApplyMemoryLimits(KestrelServerLimits limits)
    {
        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = MaxWebSockets;
        limits.MaxRequestBufferSize = RequestReadAhead;
    }

    private static void Listen(KestrelServerOptions kestrel, string bind, int port, PortRole role)
    {
        void Configure(ListenOptions listen) => listen.Use(PortDispatcher.Tag(role));
        if (bind == "*") kestrel.ListenAnyIP(port, Configure);
        else kestrel.Listen(IPAddress.Parse(bind), port, Configure);
    }
}
