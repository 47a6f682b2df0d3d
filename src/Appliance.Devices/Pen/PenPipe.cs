using Appliance.Devices.Interop;

namespace Appliance.Devices.Pen;

/// <summary>
/// The sim board's pen: a named pipe (<c>DIR/sim/pen</c>) carrying the same 24-byte <c>input_event</c> records an
/// evdev node yields. The reader opens it read-write so it never sees end-of-file when a writer goes away, and
/// writers never block on open.
/// </summary>
public static class PenPipe
{
    /// <summary>Creates the FIFO (mode 0660) unless it exists; fails if something else is at <paramref name="path"/>.</summary>
    public static void Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (Libc.Mkfifo(path, 0b110_110_000) == 0) return;
        var errno = Libc.LastErrno;
        if (errno == Libc.EEXIST)
        {
            // Left by an earlier run (or something else): the state dir is ours, start from a fresh FIFO.
            File.Delete(path);
            if (Libc.Mkfifo(path, 0b110_110_000) == 0) return;
            errno = Libc.LastErrno;
        }
        throw new PenDeviceException($"cannot create the pen pipe {path}: {Libc.StrError(errno)}", false);
    }

    /// <summary>The read side, for a <see cref="PenReader"/>.</summary>
    public static Stream OpenForReading(string path) => Open(path, Libc.O_RDWR);

    /// <summary>A write side (the /sim/ page's endpoint, tests). Fails with "no reader" when no pen driver has the pipe open.</summary>
    public static Stream OpenForWriting(string path) => Open(path, Libc.O_WRONLY);

    /// <summary>Writes records as one write so that up to 170 records (PIPE_BUF) arrive unsplit.</summary>
    public static void Write(Stream pipe, ReadOnlySpan<InputEvent> events)
    {
        Span<byte> buffer = events.Length <= 170 ? stackalloc byte[events.Length * InputEvent.Size] : new byte[events.Length * InputEvent.Size];
        for (var i = 0; i < events.Length; i++) events[i].Write(buffer.Slice(i * InputEvent.Size, InputEvent.Size));
        pipe.Write(buffer);
    }

    private static Stream Open(string path, int flags)
    {
        var fd = Libc.Open(path, flags | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastErrno;
            throw new PenDeviceException(errno == Libc.ENXIO
                ? $"the pen pipe {path} has no reader: the pen driver is not running"
                : $"cannot open the pen pipe {path}: {Libc.StrError(errno)}", isAbsent: errno is 2 or Libc.ENXIO);
        }
        return new FileDescriptorStream(fd, path);
    }
}
