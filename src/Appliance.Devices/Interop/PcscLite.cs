using System.Runtime.InteropServices;

namespace Appliance.Devices.Interop;

/// <summary>
/// pcsc-lite (<c>libpcsclite.so.1</c>). On Linux pcsc-lite's DWORD is <c>unsigned long</c> and LONG is <c>long</c>:
/// 64-bit on x86-64 and arm64, so both are <see cref="nuint"/>/<see cref="nint"/> here, and return codes
/// such as <c>(LONG)0x8010000A</c> are positive.
/// </summary>
internal static unsafe partial class PcscLite
{
    private const string Lib = "libpcsclite.so.1";
    public const int MaxAtrSize = 33;

    public const nuint SCARD_SCOPE_SYSTEM = 2;
    public const nuint SCARD_SHARE_SHARED = 2;
    public const nuint SCARD_PROTOCOL_T0 = 1, SCARD_PROTOCOL_T1 = 2;
    public const nuint SCARD_LEAVE_CARD = 0, SCARD_RESET_CARD = 1;
    public const nuint SCARD_STATE_UNAWARE = 0, SCARD_STATE_CHANGED = 0x2, SCARD_STATE_UNKNOWN = 0x4,
        SCARD_STATE_UNAVAILABLE = 0x8, SCARD_STATE_EMPTY = 0x10, SCARD_STATE_PRESENT = 0x20, SCARD_STATE_MUTE = 0x200;

    public const long SCARD_S_SUCCESS = 0;
    public const long SCARD_E_CANCELLED = 0x80100002;
    public const long SCARD_E_INSUFFICIENT_BUFFER = 0x80100008;
    public const long SCARD_E_UNKNOWN_READER = 0x80100009;
    public const long SCARD_E_TIMEOUT = 0x8010000A;
    public const long SCARD_E_NO_SMARTCARD = 0x8010000C;
    public const long SCARD_E_NOT_TRANSACTED = 0x80100016;
    public const long SCARD_E_READER_UNAVAILABLE = 0x80100017;
    public const long SCARD_E_NO_SERVICE = 0x8010001D;
    public const long SCARD_E_SERVICE_STOPPED = 0x8010001E;
    public const long SCARD_E_NO_READERS_AVAILABLE = 0x8010002E;
    public const long SCARD_W_UNRESPONSIVE_CARD = 0x80100066;
    public const long SCARD_W_UNPOWERED_CARD = 0x80100067;
    public const long SCARD_W_RESET_CARD = 0x80100068;
    public const long SCARD_W_REMOVED_CARD = 0x80100069;

    /// <summary>SCARD_READERSTATE (pcsc-lite layout, 64-bit DWORDs).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ReaderState
    {
        public nint Reader;
        public nint UserData;
        public nuint CurrentState;
        public nuint EventState;
        public nuint AtrLength;
        public fixed byte Atr[MaxAtrSize];
    }

    /// <summary>SCARD_IO_REQUEST.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoRequest
    {
        public nuint Protocol;
        public nuint PciLength;
    }

    [LibraryImport(Lib)] public static partial nint SCardEstablishContext(nuint scope, nint reserved1, nint reserved2, nint* context);
    [LibraryImport(Lib)] public static partial nint SCardReleaseContext(nint context);
    [LibraryImport(Lib)] public static partial nint SCardListReaders(nint context, byte* groups, byte* readers, nuint* readersLength);
    [LibraryImport(Lib)] public static partial nint SCardGetStatusChange(nint context, nuint timeoutMs, ReaderState* states, nuint count);
    [LibraryImport(Lib)] public static partial nint SCardCancel(nint context);
    [LibraryImport(Lib)] public static partial nint SCardConnect(nint context, byte* reader, nuint shareMode, nuint preferredProtocols, nint* card, nuint* activeProtocol);
    [LibraryImport(Lib)] public static partial nint SCardDisconnect(nint card, nuint disposition);
    [LibraryImport(Lib)] public static partial nint SCardTransmit(nint card, IoRequest* sendPci, byte* send, nuint sendLength, IoRequest* receivePci, byte* receive, nuint* receiveLength);

    public static string Describe(long code) => code switch
    {
        SCARD_E_NO_SERVICE => "the PC/SC service (pcscd) is not running",
        SCARD_E_SERVICE_STOPPED => "the PC/SC service stopped",
        SCARD_E_NO_READERS_AVAILABLE => "no card reader is connected",
        SCARD_E_UNKNOWN_READER => "the card reader is not known",
        SCARD_E_READER_UNAVAILABLE => "the card reader is unavailable",
        SCARD_E_TIMEOUT => "timed out",
        SCARD_E_NO_SMARTCARD => "no card in the reader",
        SCARD_W_REMOVED_CARD => "the card was removed",
        SCARD_W_RESET_CARD => "the card was reset",
        SCARD_W_UNPOWERED_CARD => "the card is not powered",
        SCARD_W_UNRESPONSIVE_CARD => "the card does not answer",
        SCARD_E_NOT_TRANSACTED => "the card exchange failed",
        _ => $"PC/SC error 0x{code:X8}",
    };
}
