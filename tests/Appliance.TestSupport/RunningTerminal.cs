using Appliance.Host;
using Appliance.Host.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Appliance.TestSupport;

/// <summary>
/// The real terminal (the same composition root as the `appliance` binary) started in-process on the sim
/// board, bound to loopback on free ports, with its own state dir.
/// </summary>
public sealed class RunningTerminal : IAsyncDisposable
{
    private readonly TempDir? _ownedStateDir;

    private RunningTerminal(WebApplication app, string stateDir, TempDir? owned, int uos, int camera, int admin)
    {
        App = app;
        StateDir = stateDir;
        _ownedStateDir = owned;
        UosPort = uos;
        CameraPort = camera;
        AdminPort = admin;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{admin}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }
    public string StateDir { get; }
    public int UosPort { get; }
    public int CameraPort { get; }
    public int AdminPort { get; }

    /// <summary>A client for the admin port.</summary>
    public HttpClient Http { get; }

    public Uri UosUri(string flag = "1") => new($"ws://127.0.0.1:{UosPort}/{flag}");
    public Uri CameraUri(string pathAndQuery = "/") => new($"http://127.0.0.1:{CameraPort}{pathAndQuery}");

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A window 600x300 at (300,200): its OK button is at (810,452), 20 px inside its bottom-right corner.</summary>
    public const string UosSignWindow = "{\"penwidth\":6,\"pos_x\":300,\"pos_y\":200,\"width\":600,\"height\":300}";

    /// <summary>Sends UOS <c>getsign</c> with <paramref name="message"/> and waits until the signature window is on screen.</summary>
    public async Task OpenUosSignWindowAsync(UosClient pc, string message = UosSignWindow)
    {
        await pc.SendAsync($"{{\"cmdtype\":\"getsign\",\"message\":{message}}}");
        var screen = Service<Ui.ScreenService>();
        using var opened = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!screen.IsSigning) await Task.Delay(20, opened.Token);
    }

    /// <summary>One device's entry of <c>GET /health</c> (name, kind, state, location, detail).</summary>
    public async Task<System.Text.Json.JsonElement> DeviceHealthAsync(string name, CancellationToken cancellationToken = default)
    {
        var health = System.Text.Json.JsonDocument.Parse(await Http.GetStringAsync("/health", cancellationToken)).RootElement;
        return health.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name).Clone();
    }

    /// <summary>Polls <c>/health</c> until the device shows <paramref name="state"/> (<c>ready</c>, <c>absent</c>, …); fails after 30 s.</summary>
    public async Task WaitForDeviceStateAsync(string name, string state, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string? last;
        while ((last = (await DeviceHealthAsync(name, cancellationToken)).GetProperty("state").GetString()) != state)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} never became {state} (last: {last})");
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <param name="stateDir">Reuse a state dir (to test restarts); null for a fresh one.</param>
    /// <param name="extraArgs">More command-line arguments, e.g. <c>--board</c> overrides.</param>
    public static Task<RunningTerminal> StartAsync(string? stateDir = null, params string[] extraArgs) => StartAsync(stateDir, null, extraArgs);

    /// <summary>The terminal with in-memory capture backends in place of the board's (tests of the protocol's wiring).</summary>
    public static Task<RunningTerminal> StartWithFakesAsync(Fakes.FakeDevices fakes, string? stateDir = null, params string[] extraArgs) =>
        StartAsync(stateDir, services =>
        {
            services.AddSingleton(fakes.AsCaptureDevices());
            services.AddSingleton<Core.Screen.ITerminalScreen>(fakes.Screen);
        }, extraArgs);

    /// <param name="services">Replaces services after the composition root registered them (fakes).</param>
    public static async Task<RunningTerminal> StartAsync(string? stateDir, Action<IServiceCollection>? services, params string[] extraArgs)
    {
        var owned = stateDir is null ? new TempDir("appliance-state-") : null;
        var dir = stateDir ?? owned!.Path;
        var ports = FreePorts.Take(3);
        string[] args =
        [
            "--board", "sim", "--state-dir", dir, "--bind", "127.0.0.1",
            "--uos-port", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--camera-port", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--admin-port", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A machine with the package installed has /etc/appliance/appliance.json: keep it out of tests.
            "--config", ApplianceConfiguration.NoFile, .. extraArgs,
        ];
        if (WireRecorder.SuiteFolder is { } wire)
        {
            var replace = services;
            services = s =>
            {
                replace?.Invoke(s);
                WireRecorder.AddTo(s, wire);
            };
        }
        var app = ApplianceHost.Build(args, services);
        await app.StartAsync();
        return new RunningTerminal(app, dir, owned, ports[0], ports[1], ports[2]);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _ownedStateDir?.Dispose();
    }
}
