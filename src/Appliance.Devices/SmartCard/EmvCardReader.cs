using System.Globalization;
using System.Text;

namespace Appliance.Devices.SmartCard;

/// <summary>
/// Reads an EMV / PBOC (银联 IC) bank card the way a terminal does before a transaction, without one:
/// PPSE (2PAY.SYS.DDF01) or PSE (1PAY.SYS.DDF01) to find the applications (falling back to the well-known
/// AIDs), SELECT the first, GET PROCESSING OPTIONS with the PDOL filled from terminal defaults, READ RECORD
/// every record the AFL names, GET DATA for the counters and EC balance, and the newest transaction-log entry.
/// </summary>
public sealed class EmvCardReader(IApduChannel card, TimeProvider? time = null)
{
    private static readonly byte[] Ppse = "2PAY.SYS.DDF01"u8.ToArray();
    private static readonly byte[] Pse = "1PAY.SYS.DDF01"u8.ToArray();

    /// <summary>Tried when the card lists no directory: UnionPay debit/credit/quasi-credit/EC, Visa, Mastercard.</summary>
    private static readonly string[] KnownAids = ["A000000333010101", "A000000333010102", "A000000333010103", "A000000333010106", "A0000000031010", "A0000000041010"];

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IcCardInfo Read()
    {
        var aids = DirectoryAids();
        byte[]? fci = null;
        byte[] aid = [];
        var blocked = false;
        foreach (var candidate in aids.Concat(KnownAids.Select(Convert.FromHexString)))
        {
            var r = card.Transmit(Select(candidate));
            if (r.IsSuccess || r.StatusWord == 0x6283)
            {
                (fci, aid, blocked) = (r.Data, candidate, r.StatusWord == 0x6283);
                break;
            }
        }
        if (fci is null)
            throw new SmartCardException(SmartCardError.UnknownCard, "not a bank IC card: no payment application answered SELECT");

        var tags = new Dictionary<uint, byte[]>();
        Tlv.Flatten(fci, tags);
        if (!blocked) ReadApplicationData(tags);
        foreach (var tag in new uint[] { 0x9F79, 0x9F77, 0x9F78, 0x9F6D, 0x9F36, 0x9F13, 0x9F17, 0x9F51, 0x9F4F, 0x9F53, 0x9F72, 0x9F54, 0x9F75, 0x9F5C, 0x9F73, 0x9F14, 0x9F23 })
        {
            if (tags.ContainsKey(tag)) continue;
            var r = card.Transmit([0x80, 0xCA, (byte)(tag >> 8), (byte)tag, 0x00]);
            if (r.IsSuccess) Tlv.Flatten(r.Data, tags);
        }
        var info = Map(tags);
        info.IcCardAID = Convert.ToHexString(aid);
        info.AppLock = blocked ? "1" : "0";
        ReadNewestLogEntry(tags, info);
        return info;
    }

    private static byte[] Select(byte[] name) => [0x00, 0xA4, 0x04, 0x00, (byte)name.Length, .. name, 0x00];

    private List<byte[]> DirectoryAids()
    {
        var ppse = card.Transmit(Select(Ppse));
        if (ppse.IsSuccess)
        {
            var entries = Tlv.Parse(Tlv.Find(ppse.Data, 0xBF0C) ?? []).Where(n => n.Tag == 0x61).Select(n => n.Value).ToList();
            if (entries.Count > 0) return Ordered(entries);
        }
        var pse = card.Transmit(Select(Pse));
        if (!pse.IsSuccess || Tlv.Find(pse.Data, 0x88) is not [var sfi]) return [];
        var found = new List<byte[]>();
        for (byte record = 1; record < 16; record++)
        {
            var r = card.Transmit([0x00, 0xB2, record, (byte)(sfi << 3 | 4), 0x00]);
            if (!r.IsSuccess) break;
            found.AddRange(Tlv.Parse(Tlv.Find(r.Data, 0x70) ?? r.Data).Where(n => n.Tag == 0x61).Select(n => n.Value));
        }
        return Ordered(found);
    }

    /// <summary>Application templates (61) by their priority indicator (87), lowest first.</summary>
    private static List<byte[]> Ordered(List<byte[]> templates) =>
    [
        .. templates
            .Select(t => (Aid: Tlv.Find(t, 0x4F), Priority: Tlv.Find(t, 0x87) is [var p] ? p & 0x0F : 15))
            .Where(x => x.Aid is not null)
            .OrderBy(x => x.Priority == 0 ? 15 : x.Priority)
            .Select(x => x.Aid!),
    ];

    private void ReadApplicationData(Dictionary<uint, byte[]> tags)
    {
        var pdol = tags.TryGetValue(0x9F38, out var p) ? Tlv.ParseDol(p) : [];
        var data = new List<byte>();
        foreach (var (tag, length) in pdol) data.AddRange(TerminalValue(tag, length));
        byte[] gpo = [0x80, 0xA8, 0x00, 0x00, (byte)(data.Count + 2), 0x83, (byte)data.Count, .. data, 0x00];
        var r = card.Transmit(gpo);
        if (!r.IsSuccess)
            throw new SmartCardException(SmartCardError.CardFailed, $"GET PROCESSING OPTIONS refused: SW {r.StatusWord:X4}");
        byte[] afl;
        if (r.Data is [0x80, ..])
        {
            var body = Tlv.Find(r.Data, 0x80) ?? [];
            afl = body.Length > 2 ? body[2..] : [];
        }
        else
        {
            Tlv.Flatten(r.Data, tags);
            afl = tags.GetValueOrDefault(0x94u) ?? [];
        }
        for (var i = 0; i + 3 < afl.Length; i += 4)
        {
            var sfi = afl[i] >> 3;
            for (int record = afl[i + 1]; record <= afl[i + 2]; record++)
            {
                var rr = card.Transmit([0x00, 0xB2, (byte)record, (byte)(sfi << 3 | 4), 0x00]);
                if (rr.IsSuccess) Tlv.Flatten(rr.Data, tags);
            }
        }
    }

    /// <summary>What a terminal puts in a PDOL: China (0156), yuan (0156), today, zero amounts, a fresh unpredictable number.</summary>
    private byte[] TerminalValue(uint tag, int length)
    {
        var now = _time.GetLocalNow();
        byte[] value = tag switch
        {
            0x9F66 => [0x28, 0x00, 0x00, 0x00], // TTQ: contact EMV + offline data authentication
            0x9F1A or 0x5F2A => [0x01, 0x56],
            0x9A => Bcd(now.ToString("yyMMdd", CultureInfo.InvariantCulture)),
            0x9F21 => Bcd(now.ToString("HHmmss", CultureInfo.InvariantCulture)),
            0x9C => [0x00],
            0x9F37 => BitConverter.GetBytes(Random.Shared.Next()),
            0x9F4E => Encoding.ASCII.GetBytes("APPLIANCE"),
            _ => [],
        };
        var result = new byte[length];
        // Numeric values are right-aligned, others left-aligned; zero fill either way.
        if (tag is 0x9F1A or 0x5F2A or 0x9A or 0x9F21 or 0x9C) value.AsSpan(Math.Max(0, value.Length - length)).CopyTo(result.AsSpan(Math.Max(0, length - value.Length)));
        else value.AsSpan(0, Math.Min(length, value.Length)).CopyTo(result);
        return result;
    }

    private static byte[] Bcd(string digits) => Convert.FromHexString(digits);

    private static IcCardInfo Map(Dictionary<uint, byte[]> t)
    {
        string? Hex(uint tag) => t.TryGetValue(tag, out var v) ? Convert.ToHexString(v) : null;
        string? Digits(uint tag) => Hex(tag)?.TrimEnd('F');
        string? Amount(uint tag) => t.TryGetValue(tag, out var v) ? FormatAmount(Convert.ToHexString(v)) : null;
        string? Number(uint tag) => t.TryGetValue(tag, out var v) ? BigEndian(v).ToString(CultureInfo.InvariantCulture) : null;
        string? Text(uint tag) => t.TryGetValue(tag, out var v) ? DecodeText(v) : null;

        var track2 = Hex(0x57)?.TrimEnd('F').Replace('D', '=');
        var pan = Digits(0x5A) ?? track2?.Split('=')[0];
        return new IcCardInfo
        {
            CardNumber = pan,
            AccountNumber = track2?.Split('=')[0] ?? pan,
            Name = Text(0x5F20)?.Trim(),
            NameExtend = Text(0x9F0B)?.Trim(),
            CertificatesType = Hex(0x9F62),
            CertificatesNo = Text(0x9F61)?.Trim(),
            // Tag 56 is the chip's track 1 image; 9F1F is only track 1's discretionary part, not a track 1.
            // A contact PBOC card usually has no 56, and then ICCardInfo has no Track1.
            Track1 = Text(0x56),
            Track2 = track2,
            Balance = Amount(0x9F79),
            BalanceLimit = Amount(0x9F77),
            SingleTradingLimit = Amount(0x9F78),
            ResetThreshold = Amount(0x9F6D),
            EffectiveDate = Hex(0x5F25),
            ExpiryDate = Hex(0x5F24),
            SerialNumber = Hex(0x5F34),
            CurrencyCode = Hex(0x9F51) ?? Hex(0x9F42),
            PinRetryTime = Number(0x9F17),
            Atc = Number(0x9F36),
            // Consecutive transaction limits (international-country, international-currency).
            TransactionLimitNumber_I_N = Number(0x9F72),
            TransactionLimitNumber_I_C = Number(0x9F53),
            // The cumulative total transaction amount limit, whose dual-currency form is TradingLimitNumber_Double's 9F75.
            TradingLimitNumber = Amount(0x9F54),
            TradingLimitNumber_Double = Amount(0x9F75),
            TransactionAmountUpperLimit = Amount(0x9F5C),
            CurrencyConversionFactor = Hex(0x9F73),
            TradingFloor = Number(0x9F14) ?? Number(0x9F58),
            TradingCeiling = Number(0x9F23) ?? Number(0x9F59),
        };
    }

    /// <summary>The newest entry of the transaction log (9F4D names its file, 9F4F its layout): amounts, currency, date, time, merchant.</summary>
    private void ReadNewestLogEntry(Dictionary<uint, byte[]> tags, IcCardInfo info)
    {
        if (!tags.TryGetValue(0x9F4D, out var entry) || entry.Length < 2 || !tags.TryGetValue(0x9F4F, out var format)) return;
        var r = card.Transmit([0x00, 0xB2, 0x01, (byte)(entry[0] << 3 | 4), 0x00]);
        if (!r.IsSuccess) return;
        var offset = 0;
        foreach (var (tag, length) in Tlv.ParseDol(format))
        {
            if (offset + length > r.Data.Length) break;
            var value = r.Data.AsSpan(offset, length);
            offset += length;
            switch (tag)
            {
                case 0x9F02: info.AuthorizedAmount = FormatAmount(Convert.ToHexString(value)); break;
                case 0x9F03: info.OtherAmount = FormatAmount(Convert.ToHexString(value)); break;
                case 0x5F2A: info.TransactionCurrencyCode = Convert.ToHexString(value); break;
                case 0x9A: info.TransactionDate = Convert.ToHexString(value); break;
                case 0x9F21: info.TransactionTime = Convert.ToHexString(value); break;
                case 0x9F4E: info.MerchantNumber = DecodeText(value.ToArray()).Trim(); break;
            }
        }
    }

    /// <summary>n12 BCD minor units → "123.45".</summary>
    private static string FormatAmount(string digits)
    {
        var cents = long.Parse(digits.TrimStart('0') is { Length: > 0 } d ? d : "0", CultureInfo.InvariantCulture);
        return (cents / 100).ToString(CultureInfo.InvariantCulture) + "." + (cents % 100).ToString("00", CultureInfo.InvariantCulture);
    }

    private static long BigEndian(byte[] bytes)
    {
        long n = 0;
        foreach (var b in bytes) n = n << 8 | b;
        return n;
    }

    /// <summary>Names are ASCII on international cards and GBK on Chinese ones.</summary>
    internal static string DecodeText(byte[] bytes)
    {
        var trimmed = bytes.AsSpan().TrimEnd((byte)0).TrimEnd((byte)0xFF);
        return Ascii.IsValid(trimmed) ? Encoding.ASCII.GetString(trimmed) : Gbk.GetString(trimmed);
    }

    internal static Encoding Gbk { get; } = CreateGbk();

    private static Encoding CreateGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(936);
    }
}
