namespace Appliance.Devices;

/// <summary>
/// What went wrong with a peripheral, in the terms PROTOCOLS.md's shared error codes use. Every module's
/// exception carries one of these so the protocol layer maps errors without knowing the module.
/// </summary>
public enum DeviceErrorKind
{
    /// <summary>Not connected, unplugged, or its node is missing (shared code 2).</summary>
    Absent,
    /// <summary>Unplugged or hung up while an operation was in flight (shared code 3).</summary>
    Disconnected,
    /// <summary>The device answered with a frame whose checksum or framing is wrong (shared code 3).</summary>
    Corrupt,
    /// <summary>The device reported a failure status (shared code 3).</summary>
    Failed,
    /// <summary>The device did not answer in time (shared code 4).</summary>
    Timeout,
    /// <summary>Nobody presented a card/finger/swipe in the time allowed (shared code 4).</summary>
    NothingPresented,
    /// <summary>The request itself was malformed, e.g. a feature template of the wrong size (shared code 1).</summary>
    BadRequest,
    /// <summary>This board or module cannot do it (shared code 6).</summary>
    NotSupported,
}

/// <summary>Base of every module's typed error (<c>IdCardException</c>, <c>FingerprintException</c>, …).</summary>
public class DeviceException : Exception
{
    public DeviceException(string device, DeviceErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Device = device;
        Kind = kind;
    }

    /// <summary>Which device: <c>idCard</c>, <c>fingerprint</c>, <c>barcode</c>, <c>magStripe</c>.</summary>
    public string Device { get; }

    public DeviceErrorKind Kind { get; }

    /// <summary>The PROTOCOLS.md shared error code for this error (1 bad request … 6 not supported).</summary>
    public int SharedCode => SharedCodeOf(Kind);

    public static int SharedCodeOf(DeviceErrorKind kind) => kind switch
    {
        DeviceErrorKind.BadRequest => 1,
        DeviceErrorKind.Absent => 2,
        DeviceErrorKind.Disconnected or DeviceErrorKind.Corrupt or DeviceErrorKind.Failed => 3,
        DeviceErrorKind.Timeout or DeviceErrorKind.NothingPresented => 4,
        DeviceErrorKind.NotSupported => 6,
        _ => 3,
    };
}
