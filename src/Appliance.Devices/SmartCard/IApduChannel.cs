namespace Appliance.Devices.SmartCard;

/// <summary>A response APDU: data and the status word SW1SW2.</summary>
public readonly record struct ApduResponse(byte[] Data, ushort StatusWord)
{
    public bool IsSuccess => StatusWord == 0x9000;
    public override string ToString() => $"{Convert.ToHexString(Data)} {StatusWord:X4}";
}

/// <summary>
/// The transport a card application reader talks through: one command APDU in, one response out, with
/// T=0's GET RESPONSE / wrong-Le retries already handled. PC/SC is one implementation; tests may script another.
/// </summary>
public interface IApduChannel
{
    ApduResponse Transmit(ReadOnlySpan<byte> command);
}
