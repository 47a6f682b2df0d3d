namespace Appliance.Core.Board;

/// <summary>A board profile that cannot be used. The message names the file, the key and what was expected.</summary>
public sealed class BoardProfileException(string file, string key, string problem)
    : Exception($"board profile {file}: {key}: {problem}")
{
    public string File { get; } = file;
    public string Key { get; } = key;
    public string Problem { get; } = problem;
}
