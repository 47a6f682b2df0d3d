using Appliance.Devices.Interop;

namespace Appliance.Devices.Serial;

/// <summary>The tty went away under us: USB-serial unplugged, or the pty's other side closed.</summary>
public sealed class TtyHangupException(string path, string detail) : IOException($"{path}: {detail}")
{
    public string Path { get; } = path;
}

/// <summary>
/// A serial port (or pty) as a <see cref="Stream"/>: opened with termios in raw 8N1 mode, read through
/// <c>poll</c> so that reads can be cancelled and a hang-up is noticed at once. Owns the descriptor.
/// </summary>
public sealed unsafe class TtyStream : Stream
{
    private const int PollSliceMs = 50;
    private int _fd;
    private readonly string _path;

    private TtyStream(int fd, string path)
    {
        _fd = fd;
        _path = path;
    }

    public string PortPath => _path;

    /// <summary>Opens <paramref name="path"/> (a tty, a pty slave or a symlink to one) raw at <paramref name="baud"/> and drops stale input.</summary>
    /// <exception cref="FileNotFoundException">No such node (device unplugged).</exception>
    /// <exception cref="IOException">It is there but cannot be opened or configured.</exception>
    public static TtyStream Open(string path, int baud)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastErrno;
            if (errno is 2 or Libc.ENODEV or Libc.ENXIO) throw new FileNotFoundException($"{path}: {Libc.StrError(errno)}", path);
            throw new IOException($"open {path}: {Libc.StrError(errno)} (errno {errno})");
        }
        try
        {
            Libc.MakeRaw(fd, baud);
            Libc.TcFlush(fd, Libc.TCIOFLUSH);
        }
        catch
        {
            Libc.Close(fd);
            throw;
        }
        return new TtyStream(fd, path);
    }

    /// <summary>Wraps a descriptor this stream will own (a pty master in the simulators).</summary>
    internal static TtyStream FromDescriptor(int fd, string name) => new(fd, name);

    public override bool CanRead => _fd >= 0;
    public override bool CanWrite => _fd >= 0;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>True when the other side hung up (checked without reading).</summary>
    public bool HasHungUp()
    {
        var fd = _fd;
        if (fd < 0) return true;
        var p = new Libc.PollFd { Fd = fd, Events = 0 };
        var n = Libc.Poll(&p, 1, 0);
        return n > 0 && (p.Revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => ReadCore(buffer, CancellationToken.None);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return ValueTask.FromResult(0);
        // Fast path: data already waiting.
        var n = TryReadNow(buffer.Span);
        if (n > 0) return ValueTask.FromResult(n);
        // The wait blocks in poll(2), so it gets a thread of its own (LongRunning), not one of the pool's: every serial
        // driver and simulator sits in this wait for good, and on the pool's few threads (one per core at start) those
        // waits starved every request for about 2 s after start-up (measured: /health 2.2 s after exec, 0.28 s with
        // more pool threads).
        return new ValueTask<int>(Task.Factory.StartNew(
            () => ReadCore(buffer.Span, cancellationToken), cancellationToken,
            TaskCreationOptions.DenyChildAttach | TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    private int TryReadNow(Span<byte> buffer)
    {
        var fd = _fd;
        if (fd < 0) throw new ObjectDisposedException(_path);
        fixed (byte* b = buffer)
        {
            var n = (int)Libc.Read(fd, b, (nuint)buffer.Length);
            if (n > 0) return n;
            if (n == 0) return 0; // a raw tty with VMIN 0 reads 0 when empty; poll tells a hang-up apart
            var errno = Libc.LastErrno;
            if (errno is Libc.EAGAIN or Libc.EINTR) return 0;
            throw Hangup(errno);
        }
    }

    /// <summary>Blocks (in poll slices, so cancellation is seen) until at least one byte arrives.</summary>
    private int ReadCore(Span<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fd = _fd;
            if (fd < 0) throw new ObjectDisposedException(_path);
            var p = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            var ready = Libc.Poll(&p, 1, PollSliceMs);
            if (ready < 0)
            {
                var errno = Libc.LastErrno;
                if (errno == Libc.EINTR) continue;
                throw Hangup(errno);
            }
            if (ready == 0) continue;
            if ((p.Revents & Libc.POLLIN) != 0)
            {
                var n = TryReadNow(buffer);
                if (n > 0) return n;
            }
            if ((p.Revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0)
                throw new TtyHangupException(_path, "hung up (device unplugged or peer closed)");
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var fd = _fd;
            if (fd < 0) throw new ObjectDisposedException(_path);
            nint n;
            fixed (byte* b = buffer) n = Libc.Write(fd, b, (nuint)buffer.Length);
            if (n > 0)
            {
                buffer = buffer[(int)n..];
                continue;
            }
            var errno = Libc.LastErrno;
            if (n < 0 && errno is Libc.EAGAIN or Libc.EINTR)
            {
                var p = new Libc.PollFd { Fd = fd, Events = Libc.POLLOUT };
                Libc.Poll(&p, 1, PollSliceMs);
                if ((p.Revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0)
                    throw new TtyHangupException(_path, "hung up while writing");
                continue;
            }
            throw Hangup(errno);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Drops whatever input is queued (a stale answer from before).</summary>
    public void DiscardInput()
    {
        var fd = _fd;
        if (fd >= 0) Libc.TcFlush(fd, Libc.TCIFLUSH);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private TtyHangupException Hangup(int errno) => new(_path, $"{Libc.StrError(errno)} (errno {errno})");

    protected override void Dispose(bool disposing)
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) Libc.Close(fd);
        base.Dispose(disposing);
    }
}
