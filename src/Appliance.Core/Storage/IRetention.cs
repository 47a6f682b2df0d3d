namespace Appliance.Core.Storage;

/// <summary>
/// A store of personal data that wipes what is past its lifetime (docs/PRIVACY.md). Each store applies its lifetime
/// when it writes; the retention service also calls <see cref="ApplyRetention"/> every minute, so data an idle terminal
/// holds is gone at most a minute after its lifetime.
/// </summary>
public interface IRetention
{
    /// <summary>For the log: <c>journal</c>, <c>images</c>.</summary>
    string RetentionName { get; }

    /// <summary>Removes what is past its lifetime or over the store's limits; returns how many items went.</summary>
    int ApplyRetention();
}
