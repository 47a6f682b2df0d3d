using System.Text;
using System.Text.Json;

namespace Appliance.Core.Audit;

/// <summary>One line of the audit log: who (PC key id or address), from which origin, did what, when. Never biometric data.</summary>
public sealed record AuditEntry(DateTimeOffset Time, string Pc, string Address, string Origin, string Port, string Command, string Outcome);

/// <summary>Appends JSON lines to <c>STATE/audit.log</c>; rotates to <c>audit.log.1</c> past a size limit.</summary>
public sealed class AuditLog(string stateDir, long maxBytes = 4 * 1024 * 1024)
{
    public const string FileName = "audit.log";
    private readonly Lock _gate = new();
    private readonly string _path = Path.Combine(stateDir, FileName);

    public string FilePath => _path;

    public void Record(AuditEntry entry)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("time", entry.Time);
            w.WriteString("pc", entry.Pc);
            w.WriteString("address", entry.Address);
            w.WriteString("origin", entry.Origin);
            w.WriteString("port", entry.Port);
            w.WriteString("command", entry.Command);
            w.WriteString("outcome", entry.Outcome);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            if (File.Exists(_path) && new FileInfo(_path).Length > maxBytes) File.Move(_path, _path + ".1", overwrite: true);
            using var f = Storage.PrivateFile.OpenAppend(_path);
            f.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    /// <summary>The last <paramref name="count"/> lines, newest last.</summary>
    public IReadOnlyList<string> Tail(int count)
    {
        lock (_gate)
        {
            if (!File.Exists(_path)) return [];
            return File.ReadAllLines(_path, Encoding.UTF8).TakeLast(count).ToList();
        }
    }
}
