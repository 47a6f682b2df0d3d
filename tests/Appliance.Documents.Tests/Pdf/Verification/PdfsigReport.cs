using System.Text.RegularExpressions;
using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Pdf.Verification;

/// <summary>pdfsig's account of each signature, in document order: its "- Name: value" lines, and the lines without a value.</summary>
internal sealed partial record PdfsigReport(IReadOnlyDictionary<string, string> Fields, IReadOnlySet<string> Flags)
{
    public static async Task<IReadOnlyList<PdfsigReport>> ReadAsync(string path)
    {
        var (output, _) = await PdfTools.PdfsigAsync(path);
        var reports = new List<PdfsigReport>();
        foreach (var block in SignatureHeader().Split(output).Skip(1))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in block.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal)))
            {
                var text = line[2..];
                var colon = text.IndexOf(": ", StringComparison.Ordinal);
                if (colon < 0) flags.Add(text);
                else fields[text[..colon]] = text[(colon + 2)..];
            }
            reports.Add(new PdfsigReport(fields, flags));
        }
        return reports;
    }

    [GeneratedRegex(@"Signature #\d+:")]
    private static partial Regex SignatureHeader();
}
