using Microsoft.Extensions.Logging.Console;

namespace Appliance.Host.Logging;

internal static class ApplianceLogging
{
    /// <summary>
    /// One line per event. Under systemd (<c>JOURNAL_STREAM</c> set) lines carry <c>&lt;N&gt;</c> priority prefixes
    /// so <c>journalctl -p warning</c> works; <c>json</c> gives one JSON object per line for log shippers.
    /// </summary>
    public static ILoggingBuilder AddApplianceLogging(this ILoggingBuilder logging, string format, IConfiguration configuration)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("logging"));
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        if (format == "auto")
            format = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 } ? "systemd" : "simple";
        switch (format)
        {
            case "systemd":
                logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
                break;
            case "json":
                logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });
                break;
            default:
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                });
                break;
        }
        return logging;
    }
}
