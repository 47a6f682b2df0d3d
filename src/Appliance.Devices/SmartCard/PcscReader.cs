using System.Text;
using Appliance.Devices.Interop;

namespace Appliance.Devices.SmartCard;

/// <summary>
/// PC/SC through pcsc-lite: establish a context, find the reader (a name substring from the board
/// profile, or the first), wait for a card, connect, transmit, disconnect. Blocking calls: run it off
/// the request thread. One instance per read; dispose releases the card and the context.
/// </summary>
public sealed unsafe class PcscReader : IApduChannel, IDisposable
{
    private nint _context;
    private nint _card;
    private nuint _protocol;

    private PcscReader(nint context, string reader)
    {
        _context = context;
        ReaderName = reader;
    }

    public string ReaderName { get; }
    public byte[] Atr { get; private set; } = [];

    /// <summary>Connects to pcscd and picks the reader. Throws <see cref="SmartCardError.ReaderAbsent"/> when there is none.</summary>
    public static PcscReader Open(string readerFilter)
    {
        nint context;
        long rc;
        try
        {
            rc = PcscLite.SCardEstablishContext(PcscLite.SCARD_SCOPE_SYSTEM, 0, 0, &context);
        }
        catch (DllNotFoundException)
        {
            throw new SmartCardException(SmartCardError.ReaderAbsent, "libpcsclite.so.1 is not installed");
        }
        if (rc != PcscLite.SCARD_S_SUCCESS)
            throw new SmartCardException(SmartCardError.ReaderAbsent, PcscLite.Describe(rc));
        try
        {
            var readers = ListReaders(context);
            var reader = readers.FirstOrDefault(r => readerFilter.Length == 0 || r.Contains(readerFilter, StringComparison.OrdinalIgnoreCase))
                ?? throw new SmartCardException(SmartCardError.ReaderAbsent, readers.Count == 0
                    ? "no card reader is connected"
                    : $"no reader matching \"{readerFilter}\" (have: {string.Join(", ", readers)})");
            return new PcscReader(context, reader);
        }
        catch
        {
            PcscLite.SCardReleaseContext(context);
            throw;
        }
    }

    /// <summary>The readers pcscd knows, or an empty list (not an error: "no reader" is a state).</summary>
    public static IReadOnlyList<string> ListReaders(nint context)
    {
        nuint length = 0;
        var rc = (long)PcscLite.SCardListReaders(context, null, null, &length);
        if (rc == PcscLite.SCARD_E_NO_READERS_AVAILABLE) return [];
        if (rc != PcscLite.SCARD_S_SUCCESS) throw new SmartCardException(SmartCardError.ReaderAbsent, PcscLite.Describe(rc));
        var buffer = new byte[(int)length];
        fixed (byte* p = buffer)
        {
            rc = PcscLite.SCardListReaders(context, null, p, &length);
        }
        if (rc == PcscLite.SCARD_E_NO_READERS_AVAILABLE) return [];
        if (rc != PcscLite.SCARD_S_SUCCESS) throw new SmartCardException(SmartCardError.ReaderAbsent, PcscLite.Describe(rc));
        // A multi-string: names separated by NUL, ended by an empty one.
        return Encoding.UTF8.GetString(buffer, 0, (int)length).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The readers the PC/SC service reports right now; empty when it or they are absent.</summary>
    public static IReadOnlyList<string> ProbeReaders()
    {
        try
        {
            nint context;
            if (PcscLite.SCardEstablishContext(PcscLite.SCARD_SCOPE_SYSTEM, 0, 0, &context) != PcscLite.SCARD_S_SUCCESS) return [];
            try { return ListReaders(context); }
            finally { PcscLite.SCardReleaseContext(context); }
        }
        catch (Exception e) when (e is DllNotFoundException or SmartCardException)
        {
            return [];
        }
    }

    /// <summary>Waits until a card is in the reader, then connects (T=0 or T=1, shared).</summary>
    public void WaitAndConnect(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = Encoding.UTF8.GetBytes(ReaderName + "\0");
        var deadline = DateTime.UtcNow + timeout;
        fixed (byte* reader = name)
        {
            var state = new PcscLite.ReaderState { Reader = (nint)reader, CurrentState = PcscLite.SCARD_STATE_UNAWARE };
            nint card;
            nuint protocol;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = deadline - DateTime.UtcNow;
                // Short slices so cancellation is noticed without SCardCancel.
                var slice = (nuint)Math.Clamp((long)left.TotalMilliseconds, 0, 250);
                long rc = PcscLite.SCardGetStatusChange(_context, slice, &state, 1);
                if (rc == PcscLite.SCARD_S_SUCCESS)
                {
                    state.CurrentState = state.EventState & ~PcscLite.SCARD_STATE_CHANGED;
                    if ((state.EventState & (PcscLite.SCARD_STATE_UNKNOWN | PcscLite.SCARD_STATE_UNAVAILABLE)) != 0)
                        throw new SmartCardException(SmartCardError.ReaderAbsent, $"{ReaderName}: the reader went away");
                    if ((state.EventState & PcscLite.SCARD_STATE_PRESENT) != 0 && (state.EventState & PcscLite.SCARD_STATE_MUTE) == 0)
                    {
                        Atr = new ReadOnlySpan<byte>(state.Atr, (int)Math.Min(state.AtrLength, PcscLite.MaxAtrSize)).ToArray();
                        long connect = PcscLite.SCardConnect(_context, reader, PcscLite.SCARD_SHARE_SHARED, PcscLite.SCARD_PROTOCOL_T0 | PcscLite.SCARD_PROTOCOL_T1, &card, &protocol);
                        if (connect == PcscLite.SCARD_S_SUCCESS) break;
                        // Seen present, gone at connect: a card being placed (or slid out again) bounces; keep waiting
                        // for it to settle rather than failing the read (pcscd reports the next change).
                        if (connect is not (PcscLite.SCARD_E_NO_SMARTCARD or PcscLite.SCARD_W_REMOVED_CARD))
                            throw Failure(connect, "connect");
                        // Ask afresh after a moment: pcscd may still show "present" from before, with no change to report.
                        state.CurrentState = PcscLite.SCARD_STATE_UNAWARE;
                        Thread.Sleep(50);
                    }
                }
                else if (rc != PcscLite.SCARD_E_TIMEOUT)
                    throw new SmartCardException(rc is PcscLite.SCARD_E_UNKNOWN_READER or PcscLite.SCARD_E_READER_UNAVAILABLE or PcscLite.SCARD_E_NO_SERVICE or PcscLite.SCARD_E_SERVICE_STOPPED
                        ? SmartCardError.ReaderAbsent : SmartCardError.CardFailed, $"{ReaderName}: {PcscLite.Describe(rc)}");
                if (DateTime.UtcNow >= deadline)
                    throw new SmartCardException(SmartCardError.CardAbsent, $"{ReaderName}: no card within {timeout.TotalSeconds:0} s");
            }
            _card = card;
            _protocol = protocol;
        }
    }

    /// <summary>Sends one APDU; follows 61xx with GET RESPONSE and 6Cxx by resending with the right Le (T=0).</summary>
    public ApduResponse Transmit(ReadOnlySpan<byte> command)
    {
        var response = TransmitRaw(command);
        var data = new List<byte>();
        for (var guard = 0; guard < 32; guard++)
        {
            var sw1 = (byte)(response.StatusWord >> 8);
            if (sw1 == 0x6C && command.Length >= 4)
            {
                var again = command.Length == 4 ? [.. command, (byte)response.StatusWord] : command.ToArray();
                again[^1] = (byte)response.StatusWord;
                response = TransmitRaw(again);
                continue;
            }
            data.AddRange(response.Data);
            if (sw1 != 0x61) return new ApduResponse([.. data], response.StatusWord);
            response = TransmitRaw([0x00, 0xC0, 0x00, 0x00, (byte)response.StatusWord]);
        }
        throw new SmartCardException(SmartCardError.CardFailed, "the card keeps asking for GET RESPONSE");
    }

    private ApduResponse TransmitRaw(ReadOnlySpan<byte> command)
    {
        if (_card == 0) throw new InvalidOperationException("not connected");
        var receive = new byte[258 + 2];
        nuint length = (nuint)receive.Length;
        var pci = new PcscLite.IoRequest { Protocol = _protocol, PciLength = (nuint)sizeof(PcscLite.IoRequest) };
        long rc;
        fixed (byte* send = command)
        fixed (byte* recv = receive)
        {
            rc = PcscLite.SCardTransmit(_card, &pci, send, (nuint)command.Length, null, recv, &length);
        }
        if (rc != PcscLite.SCARD_S_SUCCESS)
            throw CardGone() ? new SmartCardException(SmartCardError.CardRemoved, $"{ReaderName}: the card was removed during the read") : Failure(rc, "transmit");
        if (length < 2)
            throw CardGone()
                ? new SmartCardException(SmartCardError.CardRemoved, $"{ReaderName}: the card was removed during the read")
                : new SmartCardException(SmartCardError.CardFailed, $"{ReaderName}: a response without a status word");
        var n = (int)length;
        return new ApduResponse(receive[..(n - 2)], (ushort)(receive[n - 2] << 8 | receive[n - 1]));
    }

    /// <summary>
    /// After a failed exchange: did the card leave? Some readers (and vpcd) report a broken exchange before
    /// their presence state changes, so this watches the reader for a moment.
    /// </summary>
    private bool CardGone()
    {
        var name = Encoding.UTF8.GetBytes(ReaderName + "\0");
        fixed (byte* reader = name)
        {
            var state = new PcscLite.ReaderState { Reader = (nint)reader, CurrentState = PcscLite.SCARD_STATE_UNAWARE };
            var deadline = DateTime.UtcNow.AddSeconds(2);
            do
            {
                long rc = PcscLite.SCardGetStatusChange(_context, 250, &state, 1);
                if (rc == PcscLite.SCARD_S_SUCCESS)
                {
                    if ((state.EventState & PcscLite.SCARD_STATE_EMPTY) != 0) return true;
                    state.CurrentState = state.EventState & ~PcscLite.SCARD_STATE_CHANGED;
                }
                else if (rc != PcscLite.SCARD_E_TIMEOUT) return rc != PcscLite.SCARD_E_NO_SERVICE;
            } while (DateTime.UtcNow < deadline);
            return false;
        }
    }

    private SmartCardException Failure(long rc, string what) => new(rc switch
    {
        PcscLite.SCARD_W_REMOVED_CARD or PcscLite.SCARD_E_NO_SMARTCARD or PcscLite.SCARD_W_RESET_CARD or PcscLite.SCARD_W_UNPOWERED_CARD
            or PcscLite.SCARD_E_NOT_TRANSACTED or PcscLite.SCARD_W_UNRESPONSIVE_CARD => SmartCardError.CardRemoved,
        PcscLite.SCARD_E_UNKNOWN_READER or PcscLite.SCARD_E_READER_UNAVAILABLE or PcscLite.SCARD_E_NO_SERVICE or PcscLite.SCARD_E_SERVICE_STOPPED => SmartCardError.ReaderAbsent,
        _ => SmartCardError.CardFailed,
    }, $"{ReaderName}: {what}: {PcscLite.Describe(rc)}");

    public void Dispose()
    {
        if (_card != 0) PcscLite.SCardDisconnect(_card, PcscLite.SCARD_LEAVE_CARD);
        _card = 0;
        if (_context != 0) PcscLite.SCardReleaseContext(_context);
        _context = 0;
    }
}
