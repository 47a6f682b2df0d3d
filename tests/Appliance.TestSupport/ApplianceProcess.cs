using System.Diagnostics;
using System.Text;

namespace Appliance.TestSupport;

/// <summary>
/// The `appliance` program run as a separate process (built alongside the tests), for what only a real
/// process shows: exit codes, signals, systemd notifications, a crash and a restart.
/// </summary>
public sealed class ApplianceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApplianceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The sim board on loopback with its state in <paramref name="stateDir"/> and ports uos, camera, admin; then <paramref name="more"/>.</summary>
    public static string[] SimBoardArgs(string stateDir, int[] ports, params string[] more) =>
    [
        "--board", "sim", "--config", "none", "--state-dir", stateDir, "--bind", "127.0.0.1", "--discovery:enabled=false",
        "--uos-port", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--camera-port", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--admin-port", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
        .. more,
    ];

    public static ApplianceProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "appliance.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("appliance.dll is not beside the tests", dll);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment.Remove("WATCHDOG_USEC");
        info.Environment.Remove("JOURNAL_STREAM");
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        return new ApplianceProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>Polls the admin port's <c>/health</c> until it answers (90 s at most); fails at once if the process exited.</summary>
    public async Task WaitForHealthAsync(int adminPort, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            if (HasExited) throw new InvalidOperationException($"appliance exited with {ExitCode} before /health answered:\n{Output}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{adminPort}/health", deadline.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested) { }
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    public void Terminate() => Posix.Kill(_process.Id, Posix.SIGTERM);

    /// <summary>SIGKILL: the crash nobody gets to clean up after.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

internal static partial class Posix
{
    public const int SIGTERM = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static void Kill(int pid, int signal)
    {
        if (KillNative(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }
}
