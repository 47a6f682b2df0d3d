using System.Security.Cryptography;
using System.Text;

namespace Appliance.Core.Identity;

/// <summary>Who this terminal is: serial number (for <c>getSerialnum</c>), a stable UUID and a display name.</summary>
public sealed record TerminalIdentity(string Serial, Guid Uuid, string Name)
{
    private const string SerialFileName = "serial";
    private const string UuidFileName = "uuid";

    /// <summary>
    /// Reads the hardware serial from <paramref name="serialFile"/> when the board names one; otherwise
    /// generates one on first start and keeps it in the state dir so it never changes.
    /// </summary>
    public static TerminalIdentity LoadOrCreate(string stateDir, string serialFile, string model)
    {
        Directory.CreateDirectory(stateDir);
        var serial = !string.IsNullOrEmpty(serialFile) && File.Exists(serialFile)
            ? Clean(File.ReadAllText(serialFile))
            : ReadOrCreate(Path.Combine(stateDir, SerialFileName), () => "SIM" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (serial.Length == 0)
            throw new InvalidOperationException($"the serial number file {serialFile} is empty");
        var uuid = Guid.Parse(ReadOrCreate(Path.Combine(stateDir, UuidFileName), () => Guid.NewGuid().ToString()));
        var name = $"{model} {serial[^Math.Min(4, serial.Length)..]}";
        return new TerminalIdentity(serial, uuid, name);
    }

    private static string ReadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            var existing = Clean(File.ReadAllText(path));
            if (existing.Length > 0) return existing;
        }
        var value = create();
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, value + "\n", Encoding.ASCII);
        File.Move(tmp, path, overwrite: true);
        return value;
    }

    // Device-tree strings end in NUL; files end in newlines.
    private static string Clean(string raw) => raw.Trim().TrimEnd('\0').Trim();
}
