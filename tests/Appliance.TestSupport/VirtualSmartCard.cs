using System.Diagnostics;
using System.Net.Sockets;
using Appliance.Devices.SmartCard;

namespace Appliance.TestSupport;

/// <summary>
/// pcscd with vsmartcard's virtual reader (vpcd) and a scripted card emulator (tools/sim-cards/*.py
/// on vicc's VirtualICC). Starts pcscd when none is running and stops what it started. The Debian packages
/// come from tools/install-deps.sh: pcscd, vsmartcard-vpcd, python3-virtualsmartcard, python3-pycryptodome.
/// </summary>
public sealed class PcscDaemon : IAsyncDisposable
{
    public const string Socket = "/run/pcscd/pcscd.comm";
    /// <summary>vpcd's first slot: reader "Virtual PCD 00 00" waits for a card emulator on this port.</summary>
    public const int VpcdPort = 35963;
    public const string VirtualReader = "Virtual PCD 00 00";

    private readonly Process? _owned;

    private PcscDaemon(Process? owned) => _owned = owned;

    public static async Task<PcscDaemon> EnsureRunningAsync()
    {
        if (!File.Exists("/usr/sbin/pcscd"))
            throw new InvalidOperationException("pcscd is not installed: run tools/install-deps.sh");
        if (!File.Exists("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"))
            throw new InvalidOperationException("vsmartcard-vpcd is not installed: run tools/install-deps.sh");
        if (await AnswersAsync() && PcscReader.ProbeReaders().Count > 0) return new PcscDaemon(null);
        // A pcscd left from an interrupted run can hold the socket without serving readers: start afresh, twice at most.
        for (var attempt = 1; ; attempt++)
        {
            var process = StartDaemon();
            var deadline = DateTime.UtcNow.AddSeconds(45);
            while (!process.HasExited && DateTime.UtcNow < deadline && !(await AnswersAsync() && PcscReader.ProbeReaders().Count > 0))
                await Task.Delay(100);
            if (!process.HasExited && await AnswersAsync() && PcscReader.ProbeReaders().Count > 0)
                return new PcscDaemon(process);
            var exited = process.HasExited ? $"exited with {process.ExitCode}" : "did not serve the virtual reader in 45 s";
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            if (attempt == 2) throw new TimeoutException($"pcscd {exited} (twice; not root?)");
            foreach (var stale in System.Diagnostics.Process.GetProcessesByName("pcscd"))
            {
                try { stale.Kill(); stale.WaitForExit(5000); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
                stale.Dispose();
            }
            try { File.Delete(Socket); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static Process StartDaemon()
    {
        var process = Process.Start(new ProcessStartInfo("/usr/sbin/pcscd", "--foreground")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("cannot start pcscd");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> AnswersAsync()
    {
        if (!File.Exists(Socket)) return false;
        try
        {
            using var s = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is null) return;
        if (!_owned.HasExited)
        {
            _owned.Kill();
            await _owned.WaitForExitAsync();
        }
        _owned.Dispose();
    }
}

/// <summary>One emulated card in the virtual reader: started with the script's name, removed on dispose.</summary>
public sealed class VirtualCard : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];

    private VirtualCard(Process process) => _process = process;

    public string Log { get { lock (_log) return string.Join('\n', _log); } }

    /// <param name="script">emv_card.py, social_security_card.py or unknown_card.py.</param>
    /// <param name="vanishAfter">Pull the card out instead of answering APDU number N+1.</param>
    public static async Task<VirtualCard> InsertAsync(string script, int? vanishAfter = null)
    {
        var cards = Repository.Combine("tools", "sim-cards");
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(cards, script));
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(PcscDaemon.VpcdPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--verbose");
        if (vanishAfter is { } n)
        {
            info.ArgumentList.Add("--vanish-after");
            info.ArgumentList.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        // Debian installs vicc's module one level down; the scripts import vcard.py from their own folder.
        info.Environment["PYTHONPATH"] = $"/usr/lib/python3/site-packages/virtualsmartcard:{cards}";
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start python3");
        var card = new VirtualCard(process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (card._log) card._log.Add(e.Data); if (e.Data == "card ready") ready.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (card._log) card._log.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != ready.Task)
            throw new InvalidOperationException($"the card emulator did not start:\n{card.Log}");
        // Wait until pcscd reports the card in the reader, as a person placing it would be seen.
        using var reader = PcscReader.Open(PcscDaemon.VirtualReader);
        reader.WaitAndConnect(TimeSpan.FromSeconds(30), CancellationToken.None);
        return card;
    }

    /// <summary>Takes the card out and waits until pcscd has noticed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var reader = PcscReader.Open(PcscDaemon.VirtualReader);
                reader.WaitAndConnect(TimeSpan.Zero, CancellationToken.None);
            }
            catch (SmartCardException e) when (e.Error == SmartCardError.CardAbsent)
            {
                return;
            }
            await Task.Delay(100);
        }
    }
}
