namespace Appliance.Protocols.Wire;

/// <summary>
/// docs/PROTOCOLS.md "tolerant input": names match case-insensitively, ignoring spaces and underscores
/// (<c>"Preview camera"</c> = <c>previewcamera</c>, <c>"pos _ x"</c> = <c>pos_x</c>).
/// </summary>
public static class WireName
{
    public static string Normalize(ReadOnlySpan<char> name)
    {
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        var n = 0;
        foreach (var c in name)
        {
            if (c is ' ' or '_' or '\t' or '\r' or '\n') continue;
            buffer[n++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..n]);
    }

    public static bool Matches(ReadOnlySpan<char> received, string canonical) =>
        Normalize(received) == Normalize(canonical);
}
