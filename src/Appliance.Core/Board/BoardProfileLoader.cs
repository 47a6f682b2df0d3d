using System.Text.Json;

namespace Appliance.Core.Board;

/// <summary>
/// Finds a board profile by name (or path), parses it and validates it. <c>sim</c> is embedded in the
/// binary so the simulated terminal starts with no files installed.
/// </summary>
public static class BoardProfileLoader
{
    public const string FileName = "board.json";

    /// <summary>Folders searched for <c>NAME/board.json</c>, first match wins.</summary>
    public static IReadOnlyList<string> DefaultSearchPath { get; } =
    [
        "/etc/appliance/board",
        "/usr/share/appliance/board",
        Path.Combine(AppContext.BaseDirectory, "board"),
    ];

    /// <param name="nameOrPath">A board name such as <c>sim</c>, or a path to a <c>board.json</c> file or its folder.</param>
    /// <param name="searchPath">Folders holding one sub-folder per board; null for <see cref="DefaultSearchPath"/>.</param>
    /// <param name="fileExists">Checks that files the profile names exist (the font); injectable for tests.</param>
    public static BoardProfile Load(string nameOrPath, IEnumerable<string>? searchPath = null, Func<string, bool>? fileExists = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var (source, json) = Locate(nameOrPath, searchPath ?? DefaultSearchPath);
        var profile = Parse(source, json);
        BoardProfileValidator.Validate(profile, fileExists ?? File.Exists);
        return profile;
    }

    public static BoardProfile Parse(string source, string json)
    {
        BoardProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize(json, BoardProfileJson.Default.BoardProfile);
        }
        catch (JsonException e)
        {
            throw new BoardProfileException(source, KeyOf(e.Path), Describe(e));
        }
        if (profile is null)
            throw new BoardProfileException(source, "$", "expected a JSON object, found null");
        profile.Source = source;
        return profile;
    }

    private static (string Source, string Json) Locate(string nameOrPath, IEnumerable<string> searchPath)
    {
        if (nameOrPath.Contains('/') || nameOrPath.EndsWith(".json", StringComparison.Ordinal))
        {
            var file = Directory.Exists(nameOrPath) ? Path.Combine(nameOrPath, FileName) : nameOrPath;
            if (!File.Exists(file))
                throw new BoardProfileException(file, "$", "file not found");
            return (file, File.ReadAllText(file));
        }
        foreach (var dir in searchPath)
        {
            var file = Path.Combine(dir, nameOrPath, FileName);
            if (File.Exists(file))
                return (file, File.ReadAllText(file));
        }
        if (nameOrPath == BoardProfile.Simulated)
            return ("embedded:board/sim/board.json", ReadEmbeddedSim());
        throw new BoardProfileException(nameOrPath, "$",
            $"no board named '{nameOrPath}': looked for {FileName} in {string.Join(", ", searchPath.Select(d => Path.Combine(d, nameOrPath)))}");
    }

    private static string ReadEmbeddedSim()
    {
        using var stream = typeof(BoardProfileLoader).Assembly.GetManifestResourceStream("Appliance.Board.sim.json")
            ?? throw new InvalidOperationException("the embedded sim board profile is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string KeyOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    private static string Describe(JsonException e)
    {
        // System.Text.Json's messages end with "Path: ... | LineNumber: ..."; keep the sentence, add the line.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        return e.LineNumber is { } line ? $"{message} (line {line + 1})" : message;
    }
}
