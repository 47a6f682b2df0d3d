using Appliance.Devices.Input;
using Appliance.Devices.Interop;
using Appliance.Devices.Pen;
using Appliance.Devices.Serial;

namespace Appliance.Devices.MagStripe;

/// <summary>
/// The real keyboard-wedge (USB HID keyboard) magnetic-stripe reader driver. The reader "types" each swipe as key
/// presses on its own evdev node: the tracks with their sentinels, then Enter. The node is found by the name the
/// board profile gives, grabbed (EVIOCGRAB) so the swipe types into nothing else, and read as 24-byte
/// <c>input_event</c> records; <see cref="KeyboardWedgeDecoder"/> turns key codes and Shift into text and
/// <see cref="TrackText"/> frames the tracks. A garbled or cut-off swipe fails the waiting read with its own error
/// (<see cref="DeviceErrorKind.Corrupt"/>, "swipe again"). The node is kept open, and re-found after it vanishes,
/// by the same <see cref="SerialLink"/> the serial devices use.
/// </summary>
public sealed class KeyboardWedgeMagStripeReader : IMagStripeReader, IAsyncDisposable
{
    private readonly SerialReceiver _receiver;
    private readonly SwipeMailbox _swipes = new();
    private readonly KeyboardWedgeDecoder _decoder = new();
    private readonly Lock _gate = new();
    private readonly byte[] _record = new byte[InputEvent.Size];
    private int _recordFilled;
    private int _garbled;

    /// <param name="link">Yields the reader's <c>input_event</c> records; owned by this driver from now on.</param>
    /// <param name="quietGap">A swipe without Enter for this long was cut off (readers type a swipe in well under it).</param>
    public KeyboardWedgeMagStripeReader(SerialLink link, TimeSpan? quietGap = null)
    {
        _receiver = new SerialReceiver(link, quietGap ?? TimeSpan.FromMilliseconds(500), OnBytes, OnGap, OnDisconnect);
        _receiver.Start();
    }

    /// <param name="deviceNameOrPath">The reader's input device name as EVIOCGNAME reports it, or a <c>/dev/input/...</c> path.</param>
    /// <param name="inputDirectory">Where evdev nodes live (tests point elsewhere).</param>
    public static KeyboardWedgeMagStripeReader Open(string deviceNameOrPath, string inputDirectory = "/dev/input") =>
        new(new SerialLink("magStripe", () => OpenNode(deviceNameOrPath, inputDirectory), null,
            (kind, message, inner) => new MagStripeException(kind, message, inner)));

    public SerialLink Link => _receiver.Link;

    /// <summary>Swipes that came garbled or cut off (each also failed the read waiting at the time).</summary>
    public int GarbledSwipes => Volatile.Read(ref _garbled);

    public MagStripeSwipe? TakeLastSwipe() => _swipes.TakeLast();

    public async Task<MagStripeSwipe> ReadSwipeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Link.State != SerialLinkState.Ready)
            throw new MagStripeException(DeviceErrorKind.Absent, $"magnetic-stripe reader is not connected ({Link.Detail})");
        return await _swipes.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finds and grabs the reader's node. Not there → <see cref="FileNotFoundException"/> (the link reports Absent and
    /// keeps looking); there but not usable → <see cref="IOException"/> (Faulted).
    /// </summary>
    internal static Stream OpenNode(string deviceNameOrPath, string inputDirectory)
    {
        var path = deviceNameOrPath;
        if (!deviceNameOrPath.StartsWith('/'))
        {
            var seen = new List<string>();
            // A reader may expose more than one node under its name; the one that types Enter is the keyboard.
            path = EvdevNode.FindByName(deviceNameOrPath, inputDirectory, seen, fd => EvdevNode.HasKey(fd, InputCodes.KEY_ENTER))
                ?? throw new FileNotFoundException(
                    $"no keyboard input device named \"{deviceNameOrPath}\" in {inputDirectory} (found: {(seen.Count == 0 ? "none readable" : string.Join(", ", seen))})",
                    deviceNameOrPath);
        }
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastErrno;
            if (errno is 2 or Libc.ENODEV or Libc.ENXIO) throw new FileNotFoundException($"{path}: {Libc.StrError(errno)}", path);
            throw new IOException($"cannot open {path}: {Libc.StrError(errno)} (errno {errno})");
        }
        if (!EvdevNode.Grab(fd))
        {
            var errno = Libc.LastErrno;
            Libc.Close(fd);
            throw new IOException($"cannot grab {path}: {Libc.StrError(errno)} (another program holds the stripe reader?)");
        }
        // Polled reads that a quiet gap can cancel, and a hang-up (node removed: ENODEV, POLLHUP) seen at once.
        return TtyStream.FromDescriptor(fd, path);
    }

    private void OnBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            WedgeLine? line;
            lock (_gate)
            {
                // Records can arrive split across reads (a pipe does that); keep the head until the rest comes.
                var take = Math.Min(InputEvent.Size - _recordFilled, bytes.Length);
                bytes[..take].CopyTo(_record.AsSpan(_recordFilled));
                bytes = bytes[take..];
                _recordFilled += take;
                if (_recordFilled < InputEvent.Size) return;
                _recordFilled = 0;
                line = _decoder.Feed(InputEvent.Read(_record));
            }
            if (line is not null) Finish(line);
        }
    }

    private void Finish(WedgeLine line)
    {
        if (line.Problem.Length > 0) Reject(line.Problem);
        else if (TrackText.TryParse(line.Text, out var swipe, out var problem)) _swipes.Deliver(swipe);
        else Reject(problem);
    }

    private void OnGap()
    {
        string partial;
        lock (_gate)
        {
            if (!_decoder.InLine) return;
            partial = _decoder.Partial;
            _decoder.Reset();
        }
        // The receiver also calls this just before reporting a disconnect: that is the reader's error, not a bad swipe.
        if (Link.State != SerialLinkState.Ready) return;
        Reject($"the swipe stopped before Enter after {partial.Length} characters");
    }

    private void Reject(string problem)
    {
        Interlocked.Increment(ref _garbled);
        _swipes.Reject(new MagStripeException(DeviceErrorKind.Corrupt, $"刷卡失败,请重新刷卡 / the swipe could not be read, swipe again: {problem}"));
    }

    private void OnDisconnect(Exception e)
    {
        lock (_gate)
        {
            _decoder.Reset();
            _recordFilled = 0;
        }
        _swipes.FailWaiters(new MagStripeException(DeviceErrorKind.Disconnected, "magnetic-stripe reader was unplugged", e));
    }

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();
}
