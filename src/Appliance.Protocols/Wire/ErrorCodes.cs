namespace Appliance.Protocols.Wire;

/// <summary>The shared error codes of PROTOCOLS.md, used where a seed gives none.</summary>
public enum ErrorCode
{
    BadRequest = 1,
    DeviceAbsent = 2,
    DeviceFailed = 3,
    TimedOut = 4,
    Cancelled = 5,
    NotSupported = 6,
    NotPermitted = 7,
    TooLarge = 8,
    Busy = 9,
}

public static class ErrorCodes
{
    /// <summary>The code as it goes on the wire: a decimal string.</summary>
    public static string Wire(this ErrorCode code) => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
