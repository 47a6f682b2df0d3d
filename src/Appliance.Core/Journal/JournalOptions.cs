namespace Appliance.Core.Journal;

/// <summary>Retention of the results journal (configuration section <c>journal</c>). Oldest delivered results go first.</summary>
public sealed class JournalOptions
{
    public const string Section = "journal";

    /// <summary>Most results kept.</summary>
    public int MaxEntries { get; set; } = 500;

    /// <summary>Results older than this are removed, delivered or not (an undelivered one waits this long for its PC).</summary>
    public int MaxAgeHours { get; set; } = 24 * 7;

    /// <summary>
    /// A result that reached its PC holds a person's signature, fingerprint or ID-card photo: it is wiped this long after
    /// it finished (docs/PRIVACY.md), long enough for a page to ask for the same result again.
    /// </summary>
    public int DeliveredKeepMinutes { get; set; } = 60;

    /// <summary>Most bytes the journal folder may hold.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Returns the first problem as "journal:key: expected …", or null.</summary>
    public string? Validate()
    {
        if (MaxEntries < 1) return $"{Section}:maxEntries: expected at least 1, found {MaxEntries}";
        if (MaxAgeHours < 1) return $"{Section}:maxAgeHours: expected at least 1, found {MaxAgeHours}";
        if (DeliveredKeepMinutes is < 1 or > 7 * 24 * 60) return $"{Section}:deliveredKeepMinutes: expected 1..10080, found {DeliveredKeepMinutes}";
        if (MaxBytes < 1024 * 1024) return $"{Section}:maxBytes: expected at least 1048576, found {MaxBytes}";
        return null;
    }
}
