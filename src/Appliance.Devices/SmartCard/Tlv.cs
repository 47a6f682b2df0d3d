namespace Appliance.Devices.SmartCard;

/// <summary>BER-TLV as EMV uses it (ISO 7816-4 / EMV Book 3 annex B): multi-byte tags, 81/82 lengths, constructed templates.</summary>
public static class Tlv
{
    public readonly record struct Node(uint Tag, bool Constructed, byte[] Value);

    /// <summary>The top-level objects in <paramref name="data"/>; stops quietly at padding (00/FF) or a truncated object.</summary>
    public static List<Node> Parse(ReadOnlySpan<byte> data)
    {
        var nodes = new List<Node>();
        var i = 0;
        while (i < data.Length)
        {
            if (data[i] is 0x00 or 0xFF) { i++; continue; }
            var first = data[i];
            uint tag = data[i++];
            if ((first & 0x1F) == 0x1F)
            {
                do
                {
                    if (i >= data.Length) return nodes;
                    tag = (tag << 8) | data[i];
                } while ((data[i++] & 0x80) != 0);
            }
            if (i >= data.Length) return nodes;
            int length = data[i++];
            if (length == 0x81) { if (i >= data.Length) return nodes; length = data[i++]; }
            else if (length == 0x82) { if (i + 1 >= data.Length) return nodes; length = data[i] << 8 | data[i + 1]; i += 2; }
            else if (length > 0x80) return nodes;
            if (i + length > data.Length) return nodes;
            nodes.Add(new Node(tag, (first & 0x20) != 0, data.Slice(i, length).ToArray()));
            i += length;
        }
        return nodes;
    }

    /// <summary>Every primitive object, however deep, into <paramref name="into"/> (the first occurrence wins).</summary>
    public static Dictionary<uint, byte[]> Flatten(ReadOnlySpan<byte> data, Dictionary<uint, byte[]>? into = null)
    {
        into ??= [];
        foreach (var node in Parse(data))
        {
            if (node.Constructed) Flatten(node.Value, into);
            else into.TryAdd(node.Tag, node.Value);
        }
        return into;
    }

    /// <summary>The first object with <paramref name="tag"/>, searching templates depth-first.</summary>
    public static byte[]? Find(ReadOnlySpan<byte> data, uint tag)
    {
        foreach (var node in Parse(data))
        {
            if (node.Tag == tag) return node.Value;
            if (node.Constructed && Find(node.Value, tag) is { } inner) return inner;
        }
        return null;
    }

    /// <summary>A Data Object List (PDOL, log format): tag + length pairs without values.</summary>
    public static List<(uint Tag, int Length)> ParseDol(ReadOnlySpan<byte> dol)
    {
        var list = new List<(uint, int)>();
        var i = 0;
        while (i < dol.Length)
        {
            var first = dol[i];
            uint tag = dol[i++];
            if ((first & 0x1F) == 0x1F)
                do
                {
                    if (i >= dol.Length) return list;
                    tag = (tag << 8) | dol[i];
                } while ((dol[i++] & 0x80) != 0);
            if (i >= dol.Length) return list;
            list.Add((tag, dol[i++]));
        }
        return list;
    }
}
