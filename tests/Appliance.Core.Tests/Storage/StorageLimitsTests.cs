using Appliance.Core.Audit;
using Appliance.Core.Journal;
using Appliance.Core.Storage;
using Appliance.TestSupport;

namespace Appliance.Core.Tests.Storage;

/// <summary>The caps docs/BUDGETS.md adds up to the state directory's maximum (issue 25).</summary>
public sealed class StorageLimitsTests
{
    [Fact]
    public void The_journal_default_fits_the_flash_budget()
    {
        var options = new JournalOptions();
        Assert.Null(options.Validate());
        Assert.Equal(64L * 1024 * 1024, options.MaxBytes);
    }

    [Fact]
    public void The_audit_log_keeps_one_rotation()
    {
        using var state = new TempDir();
        var log = new AuditLog(state.Path, maxBytes: 1024);
        for (var i = 0; i < 200; i++)
            log.Record(new AuditEntry(DateTimeOffset.UnixEpoch, "pc", "127.0.0.1", "http://x", "uos", "cmd" + i, "ok"));
        var files = Directory.GetFiles(state.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["audit.log", "audit.log.1"], files);
        Assert.All(Directory.GetFiles(state.Path), f => Assert.True(new FileInfo(f).Length <= 1024 + 256, $"{f} is {new FileInfo(f).Length} bytes"));
    }

    [Fact]
    public void A_state_directory_that_cannot_be_made_is_named_in_one_line()
    {
        using var dir = new TempDir();
        var file = dir.Combine("a-file");
        File.WriteAllText(file, "");
        var problem = StateDirectory.Problem(Path.Combine(file, "state"));
        Assert.Equal($"{Path.Combine(file, "state")} cannot be read and written: {file} is a file, not a directory", problem);
        Assert.Null(StateDirectory.Problem(dir.Combine("state")));
        Assert.Empty(Directory.GetFiles(dir.Combine("state"))); // the probe is gone
    }
}
