using System.Text;
using Appliance.Protocols.Shell;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Appliance.TestSupport;

/// <summary>
/// Records every answer a <see cref="RunningTerminal"/> sends a PC (the <see cref="WireLog"/> trace) into
/// <c>$APPLIANCE_WIRE_LOG/wire-{pid}.log</c>, one answer per line, so a later test can read what the whole suite was
/// told (tools/run-tests.sh sets the folder; unset, nothing is recorded).
/// </summary>
public sealed class WireRecorder : ILoggerProvider
{
    public const string FolderVariable = "APPLIANCE_WIRE_LOG";

    private static readonly Lock Gate = new();
    private readonly string _file;

    public WireRecorder(string folder)
    {
        Directory.CreateDirectory(folder);
        _file = Path.Combine(folder, $"wire-{Environment.ProcessId}.log");
    }

    /// <summary>The suite's folder, or null when the suite records nothing.</summary>
    public static string? SuiteFolder => Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } f ? f : null;

    /// <summary>Adds the recorder (Trace for the protocol ports, this provider only) to a terminal's services.</summary>
    public static void AddTo(IServiceCollection services, string folder) => services.AddLogging(b => b
        .AddProvider(new WireRecorder(folder))
        .AddFilter<WireRecorder>("Appliance.Protocols", LogLevel.Trace));

    public ILogger CreateLogger(string categoryName) => new Writer(this);

    public void Dispose()
    {
    }

    private void Append(string text)
    {
        var line = text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\n";
        lock (Gate) File.AppendAllText(_file, line, Encoding.UTF8);
    }

    private sealed class Writer(WireRecorder owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Trace;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != WireLog.Sent.Id) return;
            // The structured value, not the formatted line: exactly the bytes the PC got (cut at WireLog.MaxLoggedBytes).
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values)
                    if (key == "Answer" && value is string answer) owner.Append(answer);
        }
    }
}
