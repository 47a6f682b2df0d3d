namespace Appliance.Simulators.Serial;

/// <summary>
/// A device simulated behind a pty: the driver opens <see cref="PortPath"/> (a symlink to the current pty
/// slave). <see cref="Unplug"/> closes the pty and removes the link, exactly what a driver sees when a
/// USB-serial device is pulled; <see cref="Plug"/> makes a fresh pty and points the link at it.
/// </summary>
public abstract class PtySimulator : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private PseudoTerminal? _pty;
    private CancellationTokenSource? _session;
    private Task? _serving;

    /// <param name="portPath">The stable path drivers open (a symlink this simulator maintains).</param>
    protected PtySimulator(string portPath)
    {
        PortPath = portPath;
    }

    public string PortPath { get; }

    public bool IsPlugged
    {
        get { lock (_gate) return _pty is not null; }
    }

    /// <summary>The baud rate the driver opened the port at (0 while unplugged): a real module talks only at the rate it is set to.</summary>
    public int LineBaudRate
    {
        get { lock (_gate) return _pty?.LineBaudRate ?? 0; }
    }

    /// <summary>Bytes the driver sent that the simulator could not make sense of, for tests to look at.</summary>
    public int RejectedFrames { get; protected set; }

    /// <summary>Creates the pty, links <see cref="PortPath"/> to it and starts answering.</summary>
    public void Plug()
    {
        lock (_gate)
        {
            if (_pty is not null) return;
            var pty = PseudoTerminal.Open();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(PortPath))!);
            var temp = PortPath + ".new";
            File.Delete(temp);
            File.CreateSymbolicLink(temp, pty.SlavePath);
            File.Move(temp, PortPath, overwrite: true);
            _pty = pty;
            _session = new CancellationTokenSource();
            var token = _session.Token;
            _serving = Task.Run(() => ServeGuardedAsync(pty, token));
        }
    }

    /// <summary>Pulls the device: the link disappears and the pty closes (a driver mid-read sees a hang-up).</summary>
    public void Unplug()
    {
        PseudoTerminal? pty;
        CancellationTokenSource? session;
        lock (_gate)
        {
            pty = _pty;
            session = _session;
            _pty = null;
            _session = null;
            if (pty is null) return;
            File.Delete(PortPath);
        }
        session!.Cancel();
        pty.Dispose();
        session.Dispose();
    }

    private async Task ServeGuardedAsync(PseudoTerminal pty, CancellationToken token)
    {
        try
        {
            await ServeAsync(pty.Master, token).ConfigureAwait(false);
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Unplugged.
        }
        catch (IOException)
        {
            // The pty closed under us.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Answers the driver for one plug session; returns or throws when <paramref name="token"/> fires.</summary>
    protected abstract Task ServeAsync(Stream master, CancellationToken token);

    /// <summary>Writes part of an answer and then pulls the plug: the "unplug mid-read" case.</summary>
    protected async Task WritePartThenUnplugAsync(Stream master, byte[] frame, CancellationToken token)
    {
        await master.WriteAsync(frame.AsMemory(0, frame.Length / 2), token).ConfigureAwait(false);
        await Task.Delay(100, token).ConfigureAwait(false);
        _ = Task.Run(Unplug, CancellationToken.None);
    }

    public virtual async ValueTask DisposeAsync()
    {
        var serving = _serving;
        Unplug();
        if (serving is not null)
        {
            try { await serving.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        GC.SuppressFinalize(this);
    }
}
