using System.Diagnostics;
using System.Globalization;

namespace Appliance.TestSupport;

/// <summary>What <c>sox FILE -n stats</c> (a third-party tool) says of an audio file: its length and loudness.</summary>
public sealed record SoxStats(double LengthSeconds, double RmsLevelDb, double PeakLevelDb, int SampleRate, int Channels)
{
    public static async Task<SoxStats> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var stats = await RunAsync(["--i", "-r", path], cancellationToken);
        var rate = int.Parse(stats.Trim(), CultureInfo.InvariantCulture);
        var channels = int.Parse((await RunAsync(["--i", "-c", path], cancellationToken)).Trim(), CultureInfo.InvariantCulture);
        var lines = (await RunAsync([path, "-n", "stats"], cancellationToken)).Split('\n');
        double Field(string name) => double.Parse(
            lines.Single(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return new SoxStats(Field("Length s"), Field("RMS lev dB"), Field("Pk lev dB"), rate, channels);
    }

    private static async Task<string> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("sox") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var sox = Process.Start(start) ?? throw new InvalidOperationException("sox did not start");
        var output = sox.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = sox.StandardError.ReadToEndAsync(cancellationToken);
        await sox.WaitForExitAsync(cancellationToken);
        if (sox.ExitCode != 0) throw new InvalidOperationException($"sox {string.Join(' ', arguments)}: {await errors}");
        // `stats` writes to stderr; `--i` to stdout.
        return (await output) + (await errors);
    }
}
