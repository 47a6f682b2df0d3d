using Microsoft.Win32.SafeHandles;

namespace Appliance.Devices.Interop;

/// <summary>
/// A read/write <see cref="Stream"/> over a Linux file descriptor (evdev node, FIFO, tty) that waits with poll(2)
/// in short slices, so disposing it from another thread ends a blocked <see cref="Read(Span{byte})"/> promptly.
/// The <see cref="SafeFileHandle"/> keeps the fd alive until the reading thread lets go of it.
/// </summary>
internal sealed unsafe class FileDescriptorStream : Stream
{
    private const int SliceMs = 100;
    private readonly SafeFileHandle _handle;
    private readonly string _path;
    private volatile bool _disposed;

    public FileDescriptorStream(int fd, string path)
    {
        _handle = new SafeFileHandle(fd, ownsHandle: true);
        _path = path;
    }

    public string Path => _path;
    public SafeFileHandle Handle => _handle;

    public override bool CanRead => !_disposed;
    public override bool CanWrite => !_disposed;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)_handle.DangerousGetHandle();
            while (true)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var pfd = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
                var ready = Libc.Poll(&pfd, 1, SliceMs);
                if (ready < 0)
                {
                    var errno = Libc.LastErrno;
                    if (errno == Libc.EINTR) continue;
                    throw Error("poll", errno);
                }
                if (ready == 0) continue;
                ObjectDisposedException.ThrowIf(_disposed, this);
                fixed (byte* p = buffer)
                {
                    var n = Libc.Read(fd, p, (nuint)buffer.Length);
                    if (n >= 0) return (int)n;
                    var errno = Libc.LastErrno;
                    if (errno is Libc.EINTR or Libc.EAGAIN) continue;
                    throw Error("read", errno);
                }
            }
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fd = (int)_handle.DangerousGetHandle();
        while (!buffer.IsEmpty)
        {
            nint n;
            fixed (byte* p = buffer) n = Libc.Write(fd, p, (nuint)buffer.Length);
            if (n < 0)
            {
                var errno = Libc.LastErrno;
                if (errno == Libc.EINTR) continue;
                if (errno != Libc.EAGAIN) throw Error("write", errno);
                // Non-blocking and full (a pipe nobody drains fast enough): wait until it takes more.
                var pfd = new Libc.PollFd { Fd = fd, Events = Libc.POLLOUT };
                Libc.Poll(&pfd, 1, SliceMs);
                continue;
            }
            buffer = buffer[(int)n..];
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        if (disposing) _handle.Dispose();
        base.Dispose(disposing);
    }

    private IOException Error(string call, int errno) =>
        new($"{call} {_path}: {Libc.StrError(errno)}", errno);
}
