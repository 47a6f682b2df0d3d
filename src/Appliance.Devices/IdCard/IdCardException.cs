namespace Appliance.Devices.IdCard;

/// <summary>An ID-card reader error; <see cref="SamStatus"/> is the module's SW3 byte when it answered with one.</summary>
public sealed class IdCardException(DeviceErrorKind kind, string message, byte? samStatus = null, Exception? inner = null)
    : DeviceException("idCard", kind, message, inner)
{
    public byte? SamStatus { get; } = samStatus;
}
