using System.Globalization;
using System.Net;

namespace HostileLoad;

/// <summary>A wrong command line: printed with the usage, exit status 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The tool could not do its own job (not a finding about the terminal): exit status 2.</summary>
internal sealed class ToolFailure(string message) : Exception(message);

internal sealed class Options
{
    public const string Usage = """
        usage: hostile-load (--pid PID --state-dir DIR | --start PATH [--state-dir DIR] [--keep-state] | --remote)
                            [--host 127.0.0.1|::1] [--uos-port 12349] [--camera-port 38088] [--admin-port 38090]
                            [--rounds 1] [--big-bodies 2] [--big-mb 60] [--keep-big-cache] [--sockets 200] [--hold-seconds 15]
                            [--grabs 300] [--grab-clients 4] [--workers 4] [--request-timeout 20]
                            [--quiet-seconds 60] [--seed 25] [--phases big,mutate,sockets,grabs,quiet]
                            [--source DIR] [--max-minutes 30] [--check] [--max-state-mb N]

          --pid PID           a terminal already running on this machine (its ports must answer on --host)
          --start PATH        start the terminal: an `appliance` binary, or `appliance.dll` (run with `dotnet`), on the sim
                              board with a fresh temporary state directory, free loopback ports, --config none,
                              --discovery:enabled=false; stopped (SIGTERM) at the end
          --remote            a terminal that is not a process here (the arm64 VM, its ports forwarded to --host): RSS and
                              its peak come from GET /health's "memory" object every 500 ms, the state directory is
                              not measured ("n/a (remote)")
          --state-dir DIR     the terminal's state directory (its size is reported); with --start, use DIR instead of a
                              temporary one (not deleted)
          --host              loopback only: 127.0.0.1 (default) or ::1
          --rounds N          passes over the mutated inputs (each pass: the fixed mutations again plus new random ones)
          --big-bodies N      concurrent oversized bodies in the "big" phase (default 2: today's firmware needs about
                              six times each body in RAM; the issue's figure is for 8)
          --big-mb N          size of each oversized body, MB (default 60)
          --keep-big-cache    leave the oversized cache values in the terminal after the "big" phase (by default they are
                              overwritten with "" once the state directory was measured: kept, every later param=set
                              rewrites them, which today costs gigabytes of RAM)
          --sockets N         WebSocket connections opened and held in the "sockets" phase
          --hold-seconds N    how long those are held
          --grabs N           video=grabimage calls in the "grabs" phase (camidx 0 and 1), over --grab-clients clients
          --workers N         concurrent HTTP requests in the "mutate" phase
          --request-timeout S an HTTP request or WebSocket probe unanswered for S seconds is given up (counted)
          --quiet-seconds S   the last phase waits S seconds, sampling RSS every second
          --seed N            the seed of every random choice (printed; same seed and flags = same inputs)
          --phases LIST       which phases run after "idle" (default all, in this order)
          --source DIR        the firmware's src/ (default: found upward from here): CameraService routes mapped there
                              that this tool does not know are mutated from {} too
          --max-minutes N     the whole run stops by itself after N minutes
          --check             exit 1 when peak RSS >= 256 MB, RSS after quiet > idle + 20 MB, any HTTP 5xx, any WebSocket
                              dropped without a close frame, the terminal died, or (with --max-state-mb) the state
                              directory is larger than N MB
        Exit status: 0 (the figures are the result), 1 (--check failed), 2 (wrong command line or the tool failed).
        """;

    public static readonly string[] AllPhases = ["big", "mutate", "sockets", "grabs", "quiet"];

    public int? Pid { get; private set; }
    public string? Start { get; private set; }
    public bool Remote { get; private set; }
    public string? StateDir { get; private set; }
    public bool KeepState { get; private set; }
    public IPAddress Host { get; private set; } = IPAddress.Loopback;
    public int? UosPort { get; private set; }
    public int? CameraPort { get; private set; }
    public int? AdminPort { get; private set; }
    public int Rounds { get; private set; } = 1;
    public int BigBodies { get; private set; } = 2;
    public int BigMb { get; private set; } = 60;
    public bool KeepBigCache { get; private set; }
    public int Sockets { get; private set; } = 200;
    public int HoldSeconds { get; private set; } = 15;
    public int Grabs { get; private set; } = 300;
    public int GrabClients { get; private set; } = 4;
    public int Workers { get; private set; } = 4;
    public int RequestTimeoutSeconds { get; private set; } = 20;
    public int QuietSeconds { get; private set; } = 60;
    public int Seed { get; private set; } = 25;
    public HashSet<string> Phases { get; private set; } = [.. AllPhases];
    public string? Source { get; private set; }
    public int MaxMinutes { get; private set; } = 30;
    public bool Check { get; private set; }
    public long? MaxStateMb { get; private set; }
    public bool Help { get; private set; }

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Length) throw new UsageException($"{name} needs a value");
                return args[++i];
            }
            int Int(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new UsageException($"{name}: expected {min}..{max}, found \"{text}\"");
            }
            switch (name)
            {
                case "-h" or "--help": o.Help = true; break;
                case "--pid": o.Pid = Int(1, int.MaxValue); break;
                case "--start": o.Start = Value(); break;
                case "--remote": o.Remote = true; break;
                case "--state-dir": o.StateDir = Value(); break;
                case "--keep-state": o.KeepState = true; break;
                case "--host":
                    {
                        var text = Value();
                        // Loopback only, and only these two: this tool is meant to be pointed at the terminal it runs beside.
                        if (!IPAddress.TryParse(text, out var address) || !(address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback)))
                            throw new UsageException($"--host: only 127.0.0.1 or ::1, found \"{text}\"");
                        o.Host = address;
                        break;
                    }
                case "--uos-port": o.UosPort = Int(1, 65535); break;
                case "--camera-port": o.CameraPort = Int(1, 65535); break;
                case "--admin-port": o.AdminPort = Int(1, 65535); break;
                case "--rounds": o.Rounds = Int(1, 1000); break;
                case "--big-bodies": o.BigBodies = Int(0, 64); break;
                case "--big-mb": o.BigMb = Int(1, 1024); break;
                case "--keep-big-cache": o.KeepBigCache = true; break;
                case "--sockets": o.Sockets = Int(0, 10000); break;
                case "--hold-seconds": o.HoldSeconds = Int(1, 3600); break;
                case "--grabs": o.Grabs = Int(0, 100000); break;
                case "--grab-clients": o.GrabClients = Int(1, 64); break;
                case "--workers": o.Workers = Int(1, 64); break;
                case "--request-timeout": o.RequestTimeoutSeconds = Int(1, 600); break;
                case "--quiet-seconds": o.QuietSeconds = Int(0, 3600); break;
                case "--seed": o.Seed = Int(0, int.MaxValue); break;
                case "--phases":
                    {
                        var list = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        foreach (var p in list)
                            if (!AllPhases.Contains(p)) throw new UsageException($"--phases: unknown phase \"{p}\"; phases: {string.Join(",", AllPhases)}");
                        o.Phases = [.. list];
                        break;
                    }
                case "--source": o.Source = Value(); break;
                case "--max-minutes": o.MaxMinutes = Int(1, 24 * 60); break;
                case "--check": o.Check = true; break;
                case "--max-state-mb": o.MaxStateMb = Int(1, int.MaxValue); break;
                default: throw new UsageException($"unknown argument \"{name}\"");
            }
        }
        if (o.Help) return o;
        if ((o.Pid is null ? 0 : 1) + (o.Start is null ? 0 : 1) + (o.Remote ? 1 : 0) != 1)
            throw new UsageException("give one of --pid PID (a running terminal), --start PATH or --remote");
        if (o.Remote && (o.StateDir is not null || o.KeepState)) throw new UsageException("--remote measures no state directory: no --state-dir or --keep-state");
        if (o.Pid is not null && o.StateDir is null) throw new UsageException("--pid needs --state-dir (the terminal's state directory)");
        if (o.Pid is not null && o.KeepState) throw new UsageException("--keep-state goes with --start");
        return o;
    }
}
