using System.Diagnostics;
using System.Globalization;

namespace HostileLoad;

/// <summary>One run: the terminal, the memory sampler, the phases in order, the summary table.</summary>
internal sealed partial class LoadRun
{
    private readonly Options _o;
    private readonly Terminal _terminal;
    private readonly MemorySampler _sampler;
    private readonly Tally _total = new();
    private long _idleKb;
    private long? _afterQuietKb;
    private readonly List<string> _phasesRun = [];
    private (StateSize Size, string Phase)? _largestState;

    private LoadRun(Options o, Terminal terminal, MemorySampler sampler)
    {
        (_o, _terminal, _sampler) = (o, terminal, sampler);
    }

    public static async Task<int> RunAsync(Options o)
    {
        Console.WriteLine($"hostile-load: seed {o.Seed}, rounds {o.Rounds}, big bodies {o.BigBodies} × {o.BigMb} MB, sockets {o.Sockets} for {o.HoldSeconds} s, " +
                          $"grabs {o.Grabs}, quiet {o.QuietSeconds} s, phases {string.Join(",", Options.AllPhases.Where(o.Phases.Contains))}; stops by itself after {o.MaxMinutes} min");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(o.MaxMinutes));
        // Ctrl+C ends the run as the deadline does: the phase stops, the summary is printed, a terminal started here is stopped.
        Console.CancelKeyPress += (_, e) =>
        {
            if (deadline.IsCancellationRequested) return; // a second Ctrl+C ends the tool at once
            e.Cancel = true;
            Console.WriteLine("hostile-load: interrupted; finishing with the summary (Ctrl+C again to quit at once)");
            deadline.Cancel();
        };
        await using var terminal = o.Start is not null ? await Terminal.StartAsync(o, deadline.Token) : o.Remote ? Terminal.AttachRemote(o) : Terminal.Attach(o);
        Console.WriteLine($"terminal: {terminal.Name}, {terminal.Host}: UOS {terminal.UosPort}, CameraService {terminal.CameraPort}, admin {terminal.AdminPort}; state {(terminal.Remote ? "n/a (remote)" : terminal.StateDir)}");
        if (!await terminal.HealthAsync(deadline.Token))
            throw new ToolFailure($"GET /health on {terminal.HostHeader(terminal.AdminPort)} does not answer 200: is {terminal.Name} the terminal on these ports?");
        if (terminal.Remote && !await terminal.RefreshRemoteMemoryAsync(deadline.Token))
            throw new ToolFailure($"GET /health on {terminal.HostHeader(terminal.AdminPort)} has no \"memory\" object with rssBytes and peakRssBytes: a firmware from before issue 25?");
        var sampler = new MemorySampler(terminal, TimeSpan.FromMilliseconds(terminal.Remote ? 500 : 150));
        var run = new LoadRun(o, terminal, sampler);
        int status;
        try
        {
            try
            {
                await run.IdleAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested) { }
            if (o.Phases.Contains("big")) await run.PhaseAsync("big", "concurrent oversized bodies and messages", run.BigAsync, deadline.Token);
            if (o.Phases.Contains("mutate")) await run.PhaseAsync("mutate", "mutated bodies for every endpoint and both WebSockets", run.MutateAsync, deadline.Token);
            if (o.Phases.Contains("sockets")) await run.PhaseAsync("sockets", "many WebSocket connections held, silent, chatty, slow and stalled", run.SocketsAsync, deadline.Token);
            if (o.Phases.Contains("grabs")) await run.PhaseAsync("grabs", "video=grabimage over a few clients", run.GrabsAsync, deadline.Token);
            if (o.Phases.Contains("quiet")) await run.PhaseAsync("quiet", $"{o.QuietSeconds} s of quiet", run.QuietAsync, deadline.Token);
        }
        finally
        {
            await sampler.DisposeAsync();
        }
        status = await run.SummaryAsync();
        return status;
    }

    private static string Mb(long kb) => (kb / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static string Mb(double bytes, bool decimalUnits) => (bytes / (decimalUnits ? 1e6 : 1048576.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private async Task IdleAsync(CancellationToken cancel)
    {
        _sampler.Phase = "idle";
        if (_terminal.StartedHere)
        {
            // The sim board's devices come up for a few seconds after /health first answers.
            Console.WriteLine("== phase idle: letting the terminal settle for 5 s");
            await Task.Delay(TimeSpan.FromSeconds(5), cancel);
        }
        var readings = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            readings.Add(_sampler.Sample());
            await Task.Delay(200, cancel);
        }
        readings.Sort();
        _idleKb = readings[2];
        Console.WriteLine($"== phase idle: RSS {Mb(_idleKb)} (median of 5 readings after /health answered)");
    }

    private async Task PhaseAsync(string name, string title, Func<Tally, CancellationToken, Task> body, CancellationToken cancel)
    {
        if (!_terminal.Alive)
        {
            Console.WriteLine($"== phase {name}: skipped, the terminal is gone (exit status {_terminal.ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})");
            return;
        }
        if (cancel.IsCancellationRequested)
        {
            Console.WriteLine($"== phase {name}: skipped, --max-minutes reached or interrupted");
            return;
        }
        Console.WriteLine($"== phase {name}: {title}");
        _phasesRun.Add(name);
        _sampler.Phase = name;
        var before = _sampler.Sample();
        var clock = Stopwatch.StartNew();
        var tally = new Tally();
        try
        {
            await body(tally, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.WriteLine("   stopped: --max-minutes reached or interrupted");
        }
        var after = _sampler.Sample();
        var state = _terminal.MeasureState();
        if (state is not null && state.Bytes > (_largestState?.Size.Bytes ?? -1)) _largestState = (state, name);
        Console.WriteLine($"   {name}: {clock.Elapsed.TotalSeconds:0.0} s; RSS {Mb(before)} → {Mb(after)}, peak in phase {Mb(_sampler.PhasePeakKb(name))}" +
                          $"{(state is null ? "" : $"; state directory {Mb(state.Bytes, true)}")}; answers:");
        tally.Print(Console.Out, "     ");
        tally.MergeInto(_total);
        if (!_terminal.Alive)
            Console.WriteLine($"   THE TERMINAL IS GONE (exit status {_terminal.ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})");
    }

    private async Task QuietAsync(Tally tally, CancellationToken cancel)
    {
        var min = long.MaxValue;
        long last = 0;
        for (var s = 1; s <= _o.QuietSeconds; s++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancel);
            last = _sampler.Sample();
            if (last == 0) break; // gone
            min = Math.Min(min, last);
            if (s % 10 == 0 || s == _o.QuietSeconds) Console.WriteLine($"   quiet {s,4} s: RSS {Mb(last)}");
        }
        if (last > 0)
        {
            _afterQuietKb = last;
            Console.WriteLine($"   lowest during quiet {Mb(min)}, at the end {Mb(last)}");
        }
    }

    private async Task<int> SummaryAsync()
    {
        var state = _terminal.MeasureState();
        // Remote: one more /health, so that "alive" says how it is now, not 500 ms ago.
        if (_terminal.Remote) await _terminal.RefreshRemoteMemoryAsync(CancellationToken.None);
        var alive = _terminal.Alive;
        (int? Status, TimeSpan Took) stop = (null, TimeSpan.Zero);
        if (_terminal.StartedHere) stop = await _terminal.StopAsync();
        var log = _terminal.ReadLog();
        var w = Console.Out;
        var peakKb = Math.Max(_sampler.PeakKb, _terminal.StartedHere ? _sampler.HwmKb : 0);
        w.WriteLine();
        w.WriteLine("==================== hostile-load: summary ====================");
        w.WriteLine($"terminal          {_terminal.Name}{(_terminal.StartedHere ? $" (started here: {_o.Start})" : _terminal.Remote ? "" : " (attached)")}; phases run: idle,{string.Join(",", _phasesRun)}");
        w.WriteLine($"replay            --seed {_o.Seed} --rounds {_o.Rounds} --big-bodies {_o.BigBodies} --big-mb {_o.BigMb}{(_o.KeepBigCache ? " --keep-big-cache" : "")} --sockets {_o.Sockets} --hold-seconds {_o.HoldSeconds} " +
                    $"--grabs {_o.Grabs} --grab-clients {_o.GrabClients} --workers {_o.Workers} --quiet-seconds {_o.QuietSeconds}");
        w.WriteLine($"idle RSS          {Mb(_idleKb)}");
        w.WriteLine($"peak RSS          {Mb(_sampler.PeakKb)} sampled every {_sampler.Interval.TotalMilliseconds:0} ms{(_terminal.Remote ? " from /health" : "")} ({_sampler.Samples:N0} samples; in phase \"{_sampler.PeakPhase}\"); " +
                    $"{(_terminal.Remote ? "peakRssBytes (VmHWM)" : "VmHWM")} {Mb(_sampler.HwmKb)}" +
                    (_terminal.StartedHere ? "" : " (VmHWM covers the terminal's whole life, not only this run)"));
        w.WriteLine(_afterQuietKb is { } quiet
            ? $"RSS after quiet   {Mb(quiet)} after {_o.QuietSeconds} s ({(quiet >= _idleKb ? "idle + " : "idle - ")}{Mb(Math.Abs(quiet - _idleKb))})"
            : "RSS after quiet   n/a (the quiet phase did not run to its end)");
        if (state is null) w.WriteLine(_terminal.Remote ? "state directory   n/a (remote)" : "state directory   n/a");
        else
        {
            w.WriteLine($"state directory   {Mb(state.Bytes, true)} ({state.Bytes:N0} bytes, {state.Files:N0} files) in {_terminal.StateDir}");
            w.WriteLine($"                  by entry: {string.Join(", ", state.TopLevel.Take(6).Select(t => $"{t.Entry} {Mb(t.Bytes, true)} ({t.Files} files)"))}");
            w.WriteLine($"                  largest:  {string.Join(", ", state.Largest.Take(3).Select(l => $"{l.Path} {Mb(l.Bytes, true)}"))}");
            if (_largestState is { } most && most.Size.Bytes > state.Bytes)
                w.WriteLine($"                  largest seen during the run: {Mb(most.Size.Bytes, true)} in phase {most.Phase} " +
                            $"({string.Join(", ", most.Size.Largest.Take(2).Select(l => $"{l.Path} {Mb(l.Bytes, true)}"))})");
        }
        w.WriteLine("answers by kind (all phases)");
        _total.Print(w, "  ");
        w.WriteLine("notable answers (the first few of each kind, with what was sent)");
        _total.PrintExamples(w, "  ");
        if (log is not null)
        {
            w.WriteLine($"terminal log      {log.Lines:N0} lines ({string.Join(", ", log.Levels.Select(l => $"{l.Key} {l.Value:N0}"))}); lines saying \"unhandled exception\": {log.UnhandledExceptions:N0}; {_terminal.LogPath}");
            foreach (var (key, count, first) in log.Notable.Take(10)) w.WriteLine($"                  {count,6:N0} × {key}{Environment.NewLine}                           {first}");
        }
        if (_terminal.StartedHere)
            w.WriteLine(alive
                ? $"terminal exit     status {stop.Status?.ToString(CultureInfo.InvariantCulture) ?? "?"} {stop.Took.TotalSeconds:0.0} s after SIGTERM"
                : $"terminal exit     DIED DURING THE RUN with status {stop.Status?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        else if (!alive) w.WriteLine("terminal          DIED DURING THE RUN");

        var failures = new List<string>();
        if (!alive) failures.Add("the terminal died");
        if (peakKb >= 256 * 1024) failures.Add($"peak RSS {Mb(peakKb)} ≥ 256 MB");
        if (_afterQuietKb is { } q && q > _idleKb + 20 * 1024) failures.Add($"RSS after quiet {Mb(q)} > idle {Mb(_idleKb)} + 20 MB");
        var fiveXx = _total.Get(Tally.HttpClass, "5xx");
        if (fiveXx > 0) failures.Add($"{fiveXx:N0} HTTP 5xx");
        var drops = _total.Sum(Tally.WsEnd, k => k.StartsWith(Tally.Dropped, StringComparison.Ordinal));
        if (drops > 0) failures.Add($"{drops:N0} WebSocket connection(s) {Tally.Dropped}");
        var stateMax = Math.Max(state?.Bytes ?? 0, _largestState?.Size.Bytes ?? 0);
        if (_o.MaxStateMb is { } max && stateMax > max * 1_000_000) failures.Add($"state directory {Mb(stateMax, true)} > {max} MB");
        var verdict = failures.Count == 0 ? "pass" : "FAIL: " + string.Join("; ", failures);
        w.WriteLine($"check             {verdict}{(_o.Check ? "" : " (informational: --check not given)")}");
        return _o.Check && failures.Count > 0 ? 1 : 0;
    }
}
