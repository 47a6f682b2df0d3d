using System.Diagnostics;
using System.Globalization;
using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Ui;
using Appliance.Core.Screen;

// Pen sample → pixels in a 1280x800 XRGB8888 framebuffer, through the real path: input_event records written into a
// FIFO, the evdev reader and framer, the mapper, the compositor, the ink layer and the presenter.
//   dotnet run -c Release --project tools/bench/ScreenBench [-- SECONDS [FONT]]
// Latency = time from write(2) of a sample's records to the return of the presenter for it (pixels in the framebuffer).
// Each rate runs three ways: on a quiet machine; with two CPU hogs beside it (busy-looping processes, one per core
// on the 2-core reference machine) and the reader at normal priority; and with the hogs and the reader under
// SCHED_FIFO as the terminal's unit allows (RealtimeThread; needs root, CAP_SYS_NICE or RLIMIT_RTPRIO >= 10).
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var font = args.Length > 1 ? args[1] : "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
Console.WriteLine($"pen → framebuffer, 1280x800 XRGB8888, {seconds} s per rate, {Environment.ProcessorCount} cores");
// "draw" = from the driver decoding a sample to its pixels in the framebuffer (the terminal's own work, no scheduling wait).
Console.WriteLine("rate/s  beside          reader       sent  drawn  dropped  p50 ms  p99 ms  max ms  reader CPU %  process CPU %  draw p50  draw p99  B/sample");
foreach (var rate in new[] { 200, 1000 })
{
    Run(rate, seconds, font, hogs: 0, realtime: false);
    Run(rate, seconds, font, hogs: 2, realtime: false);
    Run(rate, seconds, font, hogs: 2, realtime: true);
}

static void Run(int rate, double seconds, string font, int hogs, bool realtime)
{
    var hogProcesses = Enumerable.Range(0, hogs).Select(_ => Process.Start("sh", ["-c", "while :; do :; done"])).ToList();
    try
    {
        Measure(rate, seconds, font, hogs, realtime);
    }
    finally
    {
        foreach (var hog in hogProcesses)
        {
            hog.Kill();
            hog.WaitForExit();
            hog.Dispose();
        }
    }
}

static void Measure(int rate, double seconds, string font, int hogs, bool realtime)
{
    var dir = Directory.CreateTempSubdirectory("screenbench-").FullName;
    var pipePath = Path.Combine(dir, "pen");
    PenPipe.Create(pipePath);
    using var fb = new MemoryFramebuffer(1280, 800, FramebufferPixelFormat.Xrgb8888);
    using var screen = new ScreenService(fb, new ScreenSettings { CjkFontPath = font });
    using var cts = new CancellationTokenSource();
    var signing = screen.ShowSignatureAsync(new SignatureWindowOptions { PenWidth = 4 }, cts.Token);
    var mapper = new PenCoordinateMapper(PenAxes.ForSimulatedScreen(1280, 800), new PenMapping { PanelWidth = 1280, PanelHeight = 800 });
    string? refused = null;
    using var reader = new PenReader(PenPipe.OpenForReading(pipePath), mapper) { Realtime = realtime ? r => refused = r : null };
    var expected = (int)(rate * seconds);
    var latencies = new double[expected + 16];
    var drawing = new double[expected + 16];
    var drawn = 0;
    var epoch = Stopwatch.GetTimestamp();
    long Micros(long ticks) => (ticks - epoch) * 1_000_000 / Stopwatch.Frequency;
    // Managed bytes the reader thread allocates per sample (driver, screen and ink together), from the first to the last.
    long allocatedAtFirst = -1, allocatedAtLast = 0;
    reader.Sample += screen.HandlePen;
    reader.Sample += p =>
    {
        allocatedAtLast = GC.GetAllocatedBytesForCurrentThread();
        if (allocatedAtFirst < 0) allocatedAtFirst = allocatedAtLast;
        // Runs after the screen's handler returned: the sample's pixels are in the framebuffer.
        var i = drawn++;
        var now = Stopwatch.GetTimestamp();
        if (i >= latencies.Length) return;
        latencies[i] = (Micros(now) - p.TimestampMicroseconds) / 1000.0;
        drawing[i] = (now - p.ReceivedTicks) * 1000.0 / Stopwatch.Frequency;
    };
    var reading = reader.RunAsync(cts.Token);
    using var pipe = PenPipe.OpenForWriting(pipePath);

    var readerThread = FindThread("pen-reader");
    var readerCpu0 = ThreadCpuSeconds(readerThread);
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    var records = new InputEvent[6];
    var interval = 1.0 / rate;
    for (var i = 0; i < expected; i++)
    {
        var due = i * interval;
        while (wall.Elapsed.TotalSeconds < due)
        {
            var left = due - wall.Elapsed.TotalSeconds;
            if (left > 0.0015) Thread.Sleep(1); else Thread.Yield();
        }
        // A signature-like path: loops across the pad, pressure rising and falling.
        var t = i / (double)rate;
        var x = 640 + 450 * Math.Sin(2 * Math.PI * 0.7 * t);
        var y = 400 + 250 * Math.Sin(2 * Math.PI * 1.9 * t + 0.5);
        var pressure = (int)(2048 + 1500 * Math.Sin(2 * Math.PI * 3.1 * t));
        var now = Micros(Stopwatch.GetTimestamp());
        var n = 0;
        if (i == 0) records[n++] = InputEvent.At(now, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 1);
        records[n++] = InputEvent.At(now, InputCodes.EV_ABS, InputCodes.ABS_X, (int)x);
        records[n++] = InputEvent.At(now, InputCodes.EV_ABS, InputCodes.ABS_Y, (int)y);
        records[n++] = InputEvent.At(now, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, pressure);
        records[n++] = InputEvent.At(now, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0);
        PenPipe.Write(pipe, records.AsSpan(0, n));
    }
    var deadline = Stopwatch.StartNew();
    while (Volatile.Read(ref drawn) < expected && deadline.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(5);
    var elapsed = wall.Elapsed.TotalSeconds;
    var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
    var readerCpu = ThreadCpuSeconds(readerThread) - readerCpu0;

    var got = Math.Min(drawn, expected);
    var sorted = latencies.AsSpan(0, got).ToArray();
    Array.Sort(sorted);
    double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    var draw = drawing.AsSpan(0, got).ToArray();
    Array.Sort(draw);
    double D(double q) => draw.Length == 0 ? double.NaN : draw[Math.Min(draw.Length - 1, (int)(q * draw.Length))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{rate,6}  {(hogs == 0 ? "nothing" : $"{hogs} CPU hogs"),-14}  {(realtime ? refused is null ? "SCHED_FIFO" : "FIFO refused" : "normal"),-11}  {expected,5}  {got,5}  {expected - got,7}  {P(0.5),6:F3}  {P(0.99),6:F3}  {sorted[^1],6:F3}  {100 * readerCpu / elapsed,12:F1}  {100 * cpu / elapsed,13:F1}  {D(0.5),9:F3}  {D(0.99),9:F3}  {(got > 1 ? (allocatedAtLast - allocatedAtFirst) / (got - 1) : 0),8}"));

    cts.Cancel();
    try { reading.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    try { signing.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    Directory.Delete(dir, true);
}

// Per-thread CPU from /proc (utime + stime in clock ticks, 100 Hz); .NET names the OS thread after Thread.Name.
static string? FindThread(string name)
{
    for (var attempt = 0; attempt < 100; attempt++)
    {
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
            if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == name) return task;
        Thread.Sleep(10);
    }
    return null;
}

static double ThreadCpuSeconds(string? task)
{
    if (task is null) return double.NaN;
    var stat = File.ReadAllText(Path.Combine(task, "stat"));
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}
