using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HostileLoad;

/// <summary>
/// The terminal under load: a process on this machine (attached by pid or started here), its loopback ports, its
/// state directory. Reads its memory from <c>/proc/PID/status</c>.
/// </summary>
internal sealed partial class Terminal : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly StreamWriter? _log;
    private readonly bool _ownsState;
    private readonly bool _keepState;
    private int? _exitStatus;

    private Terminal(int pid, IPAddress host, int uos, int camera, int admin, string? stateDir, Process? process, string? logPath, StreamWriter? log, bool ownsState, bool keepState)
    {
        (Pid, Host, UosPort, CameraPort, AdminPort, StateDir, _process, LogPath, _log, _ownsState, _keepState) =
            (pid, host, uos, camera, admin, stateDir, process, logPath, log, ownsState, keepState);
    }

    public int Pid { get; }
    public IPAddress Host { get; }
    public int UosPort { get; }
    public int CameraPort { get; }
    public int AdminPort { get; }
    public string? StateDir { get; }
    public string? LogPath { get; }
    public bool StartedHere => _process is not null;

    /// <summary>Not a process on this machine (<c>--remote</c>): memory from <c>/health</c>, no state directory, no pid.</summary>
    public bool Remote { get; private init; }

    private readonly Lock _remoteLock = new();
    private (long RssKb, long HwmKb)? _remoteMemory;
    private long _remoteLastOk = Stopwatch.GetTimestamp();

    /// <summary>What the summary calls it: the pid, or where a remote terminal answers.</summary>
    public string Name => Remote ? $"remote (memory from GET /health on {HostHeader(AdminPort)})" : $"pid {Pid}";

    public IPEndPoint Endpoint(int port) => new(Host, port);

    public string HostHeader(int port) => Host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Host}]:{port}" : $"{Host}:{port}";

    public Uri WebSocketUri(int port, string path) => new($"ws://{HostHeader(port)}{path}");

    public static Terminal Attach(Options o)
    {
        var pid = o.Pid!.Value;
        if (!File.Exists($"/proc/{pid}/status")) throw new ToolFailure($"no process {pid} on this machine (/proc/{pid}/status)");
        if (!Directory.Exists(o.StateDir)) throw new ToolFailure($"--state-dir {o.StateDir}: no such directory");
        return new Terminal(pid, o.Host, o.UosPort ?? 12349, o.CameraPort ?? 38088, o.AdminPort ?? 38090, Path.GetFullPath(o.StateDir!),
            null, null, null, ownsState: false, keepState: true);
    }

    /// <summary><c>--remote</c>: the terminal is elsewhere (the VM), its ports forwarded to <c>--host</c>.</summary>
    public static Terminal AttachRemote(Options o) =>
        new(0, o.Host, o.UosPort ?? 12349, o.CameraPort ?? 38088, o.AdminPort ?? 38090, null, null, null, null, ownsState: false, keepState: true) { Remote = true };

    /// <summary>
    /// Remote only: <c>GET /health</c>, keeping its <c>memory.rssBytes</c> and <c>memory.peakRssBytes</c> for <see cref="Memory"/>.
    /// False when it did not answer 200 with those figures.
    /// </summary>
    public async Task<bool> RefreshRemoteMemoryAsync(CancellationToken cancel)
    {
        var answer = await RawHttp.SendAsync(this, AdminPort, "GET", "/health", null, new HttpOptions { Timeout = TimeSpan.FromSeconds(10) }, cancel).ConfigureAwait(false);
        if (answer.Status != 200) return false;
        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            if (!json.RootElement.TryGetProperty("memory", out var memory)
                || !memory.TryGetProperty("rssBytes", out var rss) || !memory.TryGetProperty("peakRssBytes", out var peak)
                || rss.GetInt64() <= 0)
                return false;
            lock (_remoteLock)
            {
                _remoteMemory = (rss.GetInt64() / 1024, peak.GetInt64() / 1024);
                _remoteLastOk = Stopwatch.GetTimestamp();
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    public static async Task<Terminal> StartAsync(Options o, CancellationToken cancel)
    {
        var path = Path.GetFullPath(o.Start!);
        if (!File.Exists(path)) throw new ToolFailure($"--start {o.Start}: no such file");
        var ownsState = o.StateDir is null;
        var state = o.StateDir is { } given ? Directory.CreateDirectory(given).FullName : Directory.CreateTempSubdirectory("hostile-load-state-").FullName;
        var free = FreePorts(o.Host, 3);
        var (uos, camera, admin) = (o.UosPort ?? free[0], o.CameraPort ?? free[1], o.AdminPort ?? free[2]);
        var info = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new ProcessStartInfo("dotnet") { ArgumentList = { path } } : new ProcessStartInfo(path);
        foreach (var a in new[]
                 {
                     "--board", "sim", "--state-dir", state, "--config", "none", "--discovery:enabled=false", "--bind", o.Host.ToString(),
                     "--uos-port", Text(uos), "--camera-port", Text(camera), "--admin-port", Text(admin), "--log-format", "simple",
                 })
            info.ArgumentList.Add(a);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        // The log sits beside the state directory, not in it: its size is not the terminal's.
        var logPath = Path.Combine(Path.GetTempPath(), $"hostile-load-{Environment.ProcessId}-terminal.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new ToolFailure($"could not start {path}");
        void Write(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
        }
        process.OutputDataReceived += Write;
        process.ErrorDataReceived += Write;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var terminal = new Terminal(process.Id, o.Host, uos, camera, admin, state, process, logPath, log, ownsState, o.KeepState);
        Console.WriteLine($"started {info.FileName} {string.Join(' ', info.ArgumentList)}");
        Console.WriteLine($"  pid {process.Id}, log {logPath}");
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (process.HasExited)
                    throw new ToolFailure($"the terminal exited with status {process.ExitCode} before /health answered; its log: {logPath}");
                if (await terminal.HealthAsync(cancel).ConfigureAwait(false)) break;
                if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new ToolFailure($"/health did not answer within 90 s; log: {logPath}");
                await Task.Delay(200, cancel).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ToolFailure or OperationCanceledException)
        {
            await terminal.DisposeAsync().ConfigureAwait(false);
            throw e as ToolFailure ?? new ToolFailure("interrupted while waiting for /health");
        }
        Console.WriteLine($"  /health answered after {clock.Elapsed.TotalSeconds:0.0} s");
        return terminal;
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>True when <c>GET /health</c> on the admin port answers 200.</summary>
    public async Task<bool> HealthAsync(CancellationToken cancel)
    {
        var answer = await RawHttp.SendAsync(this, AdminPort, "GET", "/health", null, new HttpOptions { Timeout = TimeSpan.FromSeconds(5) }, cancel).ConfigureAwait(false);
        return answer.Status == 200;
    }

    /// <summary>Remote: <c>/health</c> gave its memory within the last 60 s (under emulation and load it can be slow).</summary>
    public bool Alive => Remote
        ? Stopwatch.GetElapsedTime(Interlocked.Read(ref _remoteLastOk)) < TimeSpan.FromSeconds(60)
        : File.Exists($"/proc/{Pid}/status") && !(_process?.HasExited ?? false);

    /// <summary>The exit status when the terminal started here has ended.</summary>
    public int? ExitStatus => _exitStatus ?? (_process is { HasExited: true } p ? p.ExitCode : null);

    /// <summary>VmRSS and VmHWM in kB; null once the process is gone. Remote: the last figures <c>/health</c> gave.</summary>
    public (long RssKb, long HwmKb)? Memory()
    {
        if (Remote)
        {
            lock (_remoteLock) return _remoteMemory;
        }
        try
        {
            long rss = -1, hwm = -1;
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
            }
            return rss < 0 ? null : (rss, hwm);
        }
        catch (IOException)
        {
            return null;
        }
        static long Kb(string line) => long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The state directory's files: total (as <c>du -b</c>), on-disk blocks, the largest files, per top-level entry.</summary>
    public StateSize? MeasureState()
    {
        if (StateDir is null || !Directory.Exists(StateDir)) return null;
        long bytes = 0, blocks = 0, files = 0;
        var largest = new List<(string Path, long Bytes)>();
        var top = new Dictionary<string, (long Bytes, long Files)>(StringComparer.Ordinal);
        foreach (var file in new DirectoryInfo(StateDir).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
        {
            long length;
            try
            {
                if (file.LinkTarget is not null) continue; // the sim board's pty links
                length = file.Length;
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            bytes += length;
            blocks += (length + 4095) / 4096 * 4096;
            files++;
            var relative = Path.GetRelativePath(StateDir, file.FullName);
            largest.Add((relative, length));
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            top[first] = top.TryGetValue(first, out var t) ? (t.Bytes + length, t.Files + 1) : (length, 1);
        }
        return new StateSize(bytes, blocks, files,
            [.. largest.OrderByDescending(f => f.Bytes).Take(5)],
            [.. top.OrderByDescending(t => t.Value.Bytes).Select(t => (t.Key, t.Value.Bytes, t.Value.Files))]);
    }

    /// <summary>SIGTERM to a terminal started here, then its exit status (SIGKILL after 20 s).</summary>
    public async Task<(int? Status, TimeSpan Took)> StopAsync()
    {
        if (_process is null) return (null, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, 15);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        _exitStatus = _process.ExitCode;
        return (_exitStatus, clock.Elapsed);
    }

    /// <summary>Lines of the terminal's log (started here, <c>--log-format simple</c>) by level, and the first few warnings and failures.</summary>
    public LogSummary? ReadLog()
    {
        if (LogPath is null || !File.Exists(LogPath)) return null;
        var levels = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var notable = new Dictionary<string, (long Count, string First)>(StringComparer.Ordinal);
        long unhandled = 0, lines = 0;
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            lines++;
            if (line.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase)) unhandled++;
            var m = LogLine().Match(line);
            if (!m.Success) continue;
            var level = m.Groups[1].Value;
            levels[level] = levels.GetValueOrDefault(level) + 1;
            if (level is "warn" or "fail" or "crit")
            {
                // One entry per category and exception type: the first line says what it was.
                var exception = ExceptionName().Match(line);
                var key = $"{level} {m.Groups[2].Value}{(exception.Success ? " " + exception.Value : "")}";
                // What it was: the text from the exception on (or the message), not the timestamp and category again.
                var what = exception.Success ? line[exception.Index..] : line[(m.Index + m.Length)..].TrimStart('[', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ']', ' ');
                notable[key] = notable.TryGetValue(key, out var n) ? (n.Count + 1, n.First) : (1, what.Length > 160 ? what[..160] + "…" : what);
            }
        }
        return new LogSummary(lines, levels, unhandled, [.. notable.OrderByDescending(n => n.Value.Count).Select(n => (n.Key, n.Value.Count, n.Value.First))]);
    }

    [GeneratedRegex(@"^\S+ (trce|dbug|info|warn|fail|crit): ([^\[ ]+)")]
    private static partial Regex LogLine();

    [GeneratedRegex(@"(System(\.\w+)+Exception|\w+Exception)(: [\w.]+)?")]
    private static partial Regex ExceptionName();

    private static int[] FreePorts(IPAddress host, int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var l = new TcpListener(host, 0);
            l.Start();
            return l;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited) await StopAsync().ConfigureAwait(false);
            _process.Dispose();
        }
        if (_log is not null)
        {
            lock (_log) _log.Dispose();
        }
        if (_ownsState && !_keepState && StateDir is not null)
        {
            try
            {
                Directory.Delete(StateDir, recursive: true);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"hostile-load: could not delete {StateDir}: {e.Message}");
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}

internal sealed record StateSize(long Bytes, long Blocks, long Files, List<(string Path, long Bytes)> Largest, List<(string Entry, long Bytes, long Files)> TopLevel);

internal sealed record LogSummary(long Lines, SortedDictionary<string, long> Levels, long UnhandledExceptions, List<(string Key, long Count, string First)> Notable);

/// <summary>
/// Samples VmRSS every <c>interval</c> for the whole run; keeps the peak and the phase it happened in. Remote, each tick
/// asks <c>/health</c> first (the phases' own readings then get the latest answer).
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly Terminal _terminal;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<string, long> _phasePeak = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private string _phase = "idle";

    public MemorySampler(Terminal terminal, TimeSpan interval)
    {
        _terminal = terminal;
        Interval = interval;
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                if (terminal.Remote)
                {
                    try
                    {
                        await terminal.RefreshRemoteMemoryAsync(_stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                    {
                        break;
                    }
                }
                Sample();
            } while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        });
    }

    public TimeSpan Interval { get; }
    public long PeakKb { get; private set; }
    public string PeakPhase { get; private set; } = "";
    public long HwmKb { get; private set; }
    public long LastKb { get; private set; }
    public long Samples { get; private set; }
    public bool Lost { get; private set; }

    public string Phase
    {
        set
        {
            lock (_lock) _phase = value;
        }
    }

    public long PhasePeakKb(string phase)
    {
        lock (_lock) return _phasePeak.GetValueOrDefault(phase);
    }

    /// <summary>One reading now (also used by the phases for their own figures).</summary>
    public long Sample()
    {
        var memory = _terminal.Memory();
        lock (_lock)
        {
            if (memory is not { } m)
            {
                Lost = true;
                return 0;
            }
            Samples++;
            LastKb = m.RssKb;
            HwmKb = Math.Max(HwmKb, m.HwmKb);
            if (m.RssKb > PeakKb)
            {
                PeakKb = m.RssKb;
                PeakPhase = _phase;
            }
            _phasePeak[_phase] = Math.Max(_phasePeak.GetValueOrDefault(_phase), m.RssKb);
            return m.RssKb;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
