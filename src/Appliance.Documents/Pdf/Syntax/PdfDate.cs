using System.Globalization;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>Reads PDF dates (ISO 32000-1 §7.9.4): <c>D:YYYYMMDDHHmmSSOHH'mm'</c>, everything after the year optional.</summary>
internal static class PdfDate
{
    public static DateTimeOffset? Parse(string text)
    {
        var s = text.StartsWith("D:", StringComparison.Ordinal) ? text[2..] : text;
        var position = 0;
        int? Field(int digits)
        {
            if (position + digits > s.Length || !int.TryParse(s.AsSpan(position, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
            position += digits;
            return value;
        }
        if (Field(4) is not { } year) return null;
        var month = Field(2) ?? 1;
        var day = Field(2) ?? 1;
        var hour = Field(2) ?? 0;
        var minute = Field(2) ?? 0;
        var second = Field(2) ?? 0;
        var offset = TimeSpan.Zero;
        if (position < s.Length && s[position] is '+' or '-')
        {
            var sign = s[position++] == '-' ? -1 : 1;
            var offsetHours = Field(2) ?? 0;
            if (position < s.Length && s[position] == '\'') position++;
            var offsetMinutes = Field(2) ?? 0;
            if (offsetHours > 14 || offsetMinutes > 59) return null;
            offset = sign * new TimeSpan(offsetHours, offsetMinutes, 0);
        }
        if (month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)) return null;
        return year < 1 ? null : new DateTimeOffset(year, month, day, hour, minute, second, offset);
    }
}
