using System.Text;

namespace Appliance.Discovery.Dns;

/// <summary>
/// Domain names as dotted strings; a '.' or '\' inside a label (a DNS-SD instance name may hold dots)
/// is escaped with '\'. Comparison is ASCII case-insensitive (RFC 6762 §16).
/// </summary>
public static class DnsName
{
    public static bool Equal(string a, string b) => string.Equals(Trim(a), Trim(b), StringComparison.OrdinalIgnoreCase);

    public static string Trim(string name) => name.EndsWith('.') && !name.EndsWith("\\.", StringComparison.Ordinal) ? name[..^1] : name;

    public static List<string> Labels(string name)
    {
        var labels = new List<string>();
        var current = new StringBuilder();
        var s = Trim(name);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\' && i + 1 < s.Length) { current.Append(s[++i]); continue; }
            if (c == '.') { labels.Add(current.ToString()); current.Clear(); continue; }
            current.Append(c);
        }
        if (current.Length > 0 || labels.Count > 0) labels.Add(current.ToString());
        return labels;
    }

    public static string EscapeLabel(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal);

    public static string Join(IEnumerable<string> labels) => string.Join('.', labels.Select(EscapeLabel));

    /// <summary>The first label unescaped: the instance name of a service instance name.</summary>
    public static string FirstLabel(string name) => Labels(name) is { Count: > 0 } l ? l[0] : "";

    internal static byte[] LabelBytes(string label)
    {
        var bytes = Encoding.UTF8.GetBytes(label);
        if (bytes.Length is 0 or > 63) throw new ArgumentException($"DNS label '{label}' must be 1..63 bytes");
        return bytes;
    }
}
