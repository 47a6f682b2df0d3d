namespace Appliance.Devices.MagStripe;

/// <summary>
/// Strict reading of the text a reader types for one swipe: tracks framed by their ISO 7811 sentinels and nothing
/// else — <c>%…?</c> track 1 (IATA alphanumeric, 0x20-0x5F), <c>;…?</c> track 2 then track 3 (ABA/THRIFT numeric,
/// 0x30-0x3F), <c>+…?</c> track 3 as some readers mark it. A track whose body is <c>E</c> is the reader saying it could
/// not read that track (MagTek, ID TECH convention); it is reported empty. Anything else is a garbled swipe.
/// </summary>
public static class TrackText
{
    /// <summary>The tracks of <paramref name="text"/>, or false and what is wrong with it.</summary>
    public static bool TryParse(string text, out MagStripeSwipe swipe, out string problem)
    {
        swipe = new MagStripeSwipe("", "", "");
        string? t1 = null, t2 = null, t3 = null;
        var i = 0;
        while (i < text.Length)
        {
            var start = text[i];
            int track;
            switch (start)
            {
                case '%': track = 1; break;
                case ';': track = t2 is null ? 2 : 3; break;
                case '+': track = 3; break;
                default:
                    problem = $"'{Printable(start)}' at position {i} is outside any track (expected a start sentinel % or ;)";
                    return false;
            }
            if ((track == 1 && t1 is not null) || (track == 3 && t3 is not null))
            {
                problem = $"track {track} appears twice";
                return false;
            }
            var end = text.IndexOf('?', i + 1);
            if (end < 0)
            {
                problem = $"track {track} has no end sentinel '?' (the swipe was cut short)";
                return false;
            }
            var body = text[(i + 1)..end];
            if (body == "E") body = ""; // the reader could not read this track
            else if (body.AsSpan().IndexOfAnyExcept(track == 1 ? AlphanumericSet : NumericSet) is var bad and >= 0)
            {
                problem = $"track {track} holds '{Printable(body[bad])}', which is not in its ISO 7811 character set";
                return false;
            }
            switch (track)
            {
                case 1: t1 = body; break;
                case 2: t2 = body; break;
                default: t3 = body; break;
            }
            i = end + 1;
        }
        if (string.IsNullOrEmpty(t1) && string.IsNullOrEmpty(t2) && string.IsNullOrEmpty(t3))
        {
            problem = text.Length == 0 ? "nothing was read (an empty line)" : "no track could be read";
            return false;
        }
        swipe = new MagStripeSwipe(t1 ?? "", t2 ?? "", t3 ?? "");
        problem = "";
        return true;
    }

    /// <summary>Track 1's data characters: 0x20-0x5F without the sentinels.</summary>
    private static readonly System.Buffers.SearchValues<char> AlphanumericSet =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0x20, 0x40).Select(c => (char)c).Where(c => c is not '%' and not '?')]);

    /// <summary>Tracks 2 and 3's data characters: 0x30-0x3F without the sentinels.</summary>
    private static readonly System.Buffers.SearchValues<char> NumericSet =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0x30, 0x10).Select(c => (char)c).Where(c => c is not ';' and not '?')]);

    private static string Printable(char c) => c is >= ' ' and < (char)0x7F ? c.ToString() : $"\\x{(int)c:X2}";
}
