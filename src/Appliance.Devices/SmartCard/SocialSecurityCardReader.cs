using System.Text;

namespace Appliance.Devices.SmartCard;

/// <summary>
/// Reads a Chinese social-security card (社会保障卡, MOHRSS card specification): SELECT the SSSE directory by
/// name ("sx1.sh.社会保障" in GBK), then the public files EF05 (card data) and EF06 (holder data). Each
/// data item is a record numbered by its item tag and stored as tag, length, value. No PIN or key is needed
/// for these items. See SmartCard/README.md for the item list and how it maps to SocialCardInfo.
/// </summary>
public sealed class SocialSecurityCardReader(IApduChannel card)
{
    /// <summary>"sx1.sh.社会保障": the SSSE DDF name.</summary>
    public static readonly byte[] SsseName = Convert.FromHexString("7378312E73682EC9E7BBE1B1A3D5CF");

    public SocialCardInfo Read()
    {
        var select = card.Transmit([0x00, 0xA4, 0x04, 0x00, (byte)SsseName.Length, .. SsseName]);
        if (!select.IsSuccess)
            throw new SmartCardException(SmartCardError.UnknownCard, $"not a social-security card: SSSE not found (SW {select.StatusWord:X4})");

        SelectFile(0xEF05);
        var distinguish = Item(0x01);
        var type = Item(0x02);
        var version = Item(0x03);
        var institution = Item(0x04);
        var issued = Item(0x05);
        var expires = Item(0x06);
        var cardNumber = Item(0x07);

        SelectFile(0xEF06);
        var ssn = Item(0x08);
        var name = Item(0x09);
        var sex = Item(0x0A);
        var nation = Item(0x0B);
        var birthplace = Item(0x0C);
        var birthday = Item(0x0D);

        return new SocialCardInfo(
            SocialSecurityNumber: Text(ssn),
            CardNumber: Text(cardNumber),
            Name: Text(name),
            Sex: Text(sex) switch { "1" => "男", "2" => "女", "9" => "未说明", var other => other },
            Nation: nation.Length == 1 ? nation[0].ToString("00", System.Globalization.CultureInfo.InvariantCulture) : Text(nation),
            Birthday: Convert.ToHexString(birthday),
            Birthplace: Convert.ToHexString(birthplace),
            CardDistinguishCode: Text(distinguish),
            SocialSecurityCardType: Text(type),
            CardNormVer: Text(version),
            VisaInstitution: Text(institution),
            ValidStart: Convert.ToHexString(issued),
            ValidEnd: Convert.ToHexString(expires));
    }

    private void SelectFile(ushort fid)
    {
        var r = card.Transmit([0x00, 0xA4, 0x02, 0x00, 0x02, (byte)(fid >> 8), (byte)fid]);
        if (!r.IsSuccess)
            throw new SmartCardException(SmartCardError.CardFailed, $"social-security card: cannot select EF{fid:X4} (SW {r.StatusWord:X4})");
    }

    /// <summary>READ RECORD of the current file, record number = item tag; the record is tag, length, value.</summary>
    private byte[] Item(byte tag)
    {
        var r = card.Transmit([0x00, 0xB2, tag, 0x04, 0x00]);
        if (!r.IsSuccess)
            throw new SmartCardException(SmartCardError.CardFailed, $"social-security card: item {tag:X2} unreadable (SW {r.StatusWord:X4})");
        if (r.Data.Length < 2 || r.Data[0] != tag || r.Data[1] > r.Data.Length - 2)
            throw new SmartCardException(SmartCardError.CardFailed, $"social-security card: item {tag:X2} malformed ({Convert.ToHexString(r.Data)})");
        return r.Data.AsSpan(2, r.Data[1]).ToArray();
    }

    /// <summary>ASCII or GBK text, without the 00/20/FF padding.</summary>
    private static string Text(byte[] value)
    {
        var span = value.AsSpan().Trim((byte)0x00).Trim((byte)0xFF).Trim((byte)0x20);
        return Ascii.IsValid(span) ? Encoding.ASCII.GetString(span) : EmvCardReader.Gbk.GetString(span);
    }
}
