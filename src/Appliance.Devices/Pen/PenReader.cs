using System.Diagnostics;

namespace Appliance.Devices.Pen;

/// <summary>
/// The pen driver's read loop: 24-byte <c>input_event</c> records from a transport (an evdev node, the sim board's
/// pen pipe, or a test's stream) → <see cref="InputEventFramer"/> → <see cref="PenCoordinateMapper"/> →
/// <see cref="Sample"/>. Runs on its own thread so a sample reaches the screen without waiting for the thread pool.
/// </summary>
public sealed class PenReader : IDisposable
{
    private const int RecordsPerRead = 64;
    private readonly Stream _transport;
    private readonly bool _ownsTransport;
    private readonly InputEventFramer _framer = new();
    private long _samples;

    /// <param name="transport">Yields <c>input_event</c> records; end of stream ends <see cref="RunAsync"/>.</param>
    /// <param name="ownsTransport">Dispose the transport with the reader.</param>
    public PenReader(Stream transport, PenCoordinateMapper mapper, bool ownsTransport = true)
    {
        _transport = transport;
        _ownsTransport = ownsTransport;
        Mapper = mapper;
    }

    public PenCoordinateMapper Mapper { get; }

    /// <summary>Raised on the reader thread for every complete report, in screen pixels.</summary>
    public event Action<PenPoint>? Sample;

    public long SamplesRead => Interlocked.Read(ref _samples);

    /// <summary>Reports the device said it dropped (SYN_DROPPED).</summary>
    public long DroppedReports => _framer.DroppedReports;

    /// <summary>
    /// When set, the reading thread (which also draws each sample) asks for SCHED_FIFO as it starts
    /// (<see cref="RealtimeThread"/>) and reports here: null when it got it, otherwise why not.
    /// </summary>
    public Action<string?>? Realtime { get; init; }

    /// <summary>
    /// Reads until the transport ends (returns) or <paramref name="cancellationToken"/> fires (returns; the transport is
    /// disposed to wake the read). Throws <see cref="IOException"/> when the device fails or disappears.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            using var wake = cancellationToken.Register(_transport.Dispose);
            Realtime?.Invoke(RealtimeThread.TryEnterFifo(RealtimeThread.PenPriority));
            try
            {
                Loop(cancellationToken);
                done.TrySetResult();
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        { IsBackground = true, Name = "pen-reader", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        return done.Task;
    }

    private void Loop(CancellationToken cancellationToken)
    {
        var buffer = new byte[InputEvent.Size * RecordsPerRead];
        var filled = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var n = _transport.Read(buffer.AsSpan(filled));
            if (n == 0) return;
            filled += n;
            var whole = filled / InputEvent.Size * InputEvent.Size;
            for (var offset = 0; offset < whole; offset += InputEvent.Size)
            {
                var e = InputEvent.Read(buffer.AsSpan(offset, InputEvent.Size));
                if (!_framer.Feed(e, out var raw)) continue;
                Interlocked.Increment(ref _samples);
                var point = Mapper.Map(raw) with { ReceivedTicks = Stopwatch.GetTimestamp() };
                Sample?.Invoke(point);
            }
            // A record split across reads (pipes do that) waits for its rest.
            var rest = filled - whole;
            if (rest > 0) buffer.AsSpan(whole, rest).CopyTo(buffer);
            filled = rest;
        }
    }

    public void Dispose()
    {
        if (_ownsTransport) _transport.Dispose();
    }
}
