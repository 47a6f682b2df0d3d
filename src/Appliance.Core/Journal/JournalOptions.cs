namespace Appliance.Core.Journal;

/// <summary>Retention of the results journal (configuration section <c>journal</c>). Oldest delivered results go first.</summary>
public sealed class JournalOptions
{
    public const string Section = "journal";

    /// <summary>Most results kept.</summary>
    public int MaxEntries { get; set; } = 500;

    /// <summary>Results older than this are removed, delivered or not.</summary>
    public int MaxAgeHours { get; set; } = 24 * 7;

    /// <summary>Most bytes the journal folder may hold.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Returns the first problem as "journal:key: expected …", or null.</summary>
    public string? Validate()
    {
        if (MaxEntries < 1) return $"{Section}:maxEntries: expected at least 1, found {MaxEntries}";
        if (MaxAgeHours < 1) return $"{Section}:maxAgeHours: expected at least 1, found {MaxAgeHours}";
        if (MaxBytes < 1024 * 1024) return $"{Section}:maxBytes: expected at least 1048576, found {MaxBytes}";
        return null;
    }
}
