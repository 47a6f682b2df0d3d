using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Ui;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Appliance.Adapters.Pen;

/// <summary>
/// Runs the pen driver and hands every sample to the screen. On the sim board the pipe is created and opened before
/// start-up completes, so a writer can use it as soon as <c>/health</c> answers. A real pen that is absent or fails
/// is retried every few seconds, its state reported to the health registry.
/// </summary>
public sealed class PenService(PenSource source, ScreenService screen, DeviceHealthRegistry devices, ILogger<PenService> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);
    private PenReader? _simReader;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (source.Board.Pen.Device == BoardProfile.Simulated)
        {
            try
            {
                PenPipe.Create(source.PipePath);
                var fb = screen.Framebuffer;
                _simReader = new PenReader(PenPipe.OpenForReading(source.PipePath), CreateMapper(PenAxes.ForSimulatedScreen(fb.Width, fb.Height)));
                devices.Report("pen", "pen", DeviceState.Ready, source.PipePath, "sim pen pipe: 24-byte input_event records");
            }
            catch (PenDeviceException e)
            {
                devices.Report("pen", "pen", DeviceState.Faulted, source.PipePath, e.Message);
            }
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (source.Board.Pen.Device == BoardProfile.Simulated)
        {
            if (_simReader is null) return;
            await RunAsync(_simReader, source.PipePath, stoppingToken).ConfigureAwait(false);
            return;
        }
        var device = source.Board.Pen.Device;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pen = EvdevPen.Open(device);
                // The real pen's thread reads and draws under SCHED_FIFO when the unit allows it (LimitRTPRIO); the sim
                // pen on a developer PC does not ask.
                using var reader = new PenReader(pen.Transport, CreateMapper(pen.Axes)) { Realtime = LogRealtime };
                devices.Report("pen", "pen", DeviceState.Ready, pen.Path,
                    $"\"{pen.Name}\" x {pen.Axes.X.Minimum}..{pen.Axes.X.Maximum}, y {pen.Axes.Y.Minimum}..{pen.Axes.Y.Maximum}, pressure {pen.Axes.Pressure.Minimum}..{pen.Axes.Pressure.Maximum}{(pen.Axes.TiltX is null ? "" : ", tilt")}");
                await RunAsync(reader, pen.Path, stoppingToken).ConfigureAwait(false);
            }
            catch (PenDeviceException e)
            {
                devices.Report("pen", "pen", e.IsAbsent ? DeviceState.Absent : DeviceState.Faulted, device, e.Message);
            }
            try { await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private bool _realtimeLogged;

    private void LogRealtime(string? refused)
    {
        if (_realtimeLogged) return; // once per run, not per reconnect of the pen
        _realtimeLogged = true;
        if (refused is null) logger.LogInformation("pen reader thread: SCHED_FIFO priority {Priority}", RealtimeThread.PenPriority);
        else logger.LogWarning("pen reader thread at normal priority: {Reason}", refused);
    }

    private async Task RunAsync(PenReader reader, string location, CancellationToken stoppingToken)
    {
        reader.Sample += screen.HandlePen;
        try
        {
            await reader.RunAsync(stoppingToken).ConfigureAwait(false);
            if (!stoppingToken.IsCancellationRequested)
                devices.Report("pen", "pen", DeviceState.Absent, location, "the pen device went away");
        }
        catch (IOException e)
        {
            logger.LogWarning("pen {Location} failed: {Message}", location, e.Message);
            devices.Report("pen", "pen", DeviceState.Faulted, location, e.Message);
        }
        finally
        {
            reader.Sample -= screen.HandlePen;
        }
    }

    private PenCoordinateMapper CreateMapper(PenAxes axes) => new(axes, MappingFor(source.Board, screen.Framebuffer));

    /// <summary>
    /// The board's calibration onto the framebuffer actually drawn: a panel whose own size differs from the profile's
    /// is used at its own size (BoardScreen), so the pen must span that size too or ink lands away from the pen.
    /// </summary>
    internal static PenMapping MappingFor(BoardProfile board, IFramebuffer framebuffer)
    {
        var c = board.Pen.Calibration;
        return new PenMapping
        {
            PanelWidth = framebuffer.Width, PanelHeight = framebuffer.Height, Rotation = board.Screen.Rotation,
            XMin = c.XMin, XMax = c.XMax, YMin = c.YMin, YMax = c.YMax,
            SwapXY = c.SwapXY, InvertX = c.InvertX, InvertY = c.InvertY,
        };
    }

    public override void Dispose()
    {
        _simReader?.Dispose();
        base.Dispose();
    }
}
