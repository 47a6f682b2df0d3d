using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Core.Tests.Journal;

public sealed class ResultsJournalTests
{
    private static readonly TaskRequester Pc = new("uos", "192.0.2.10", "uos-1");

    internal static ResultRecord Signature(string id = "", DateTimeOffset? at = null, int size = 100) => new()
    {
        TaskId = id.Length > 0 ? id : Guid.NewGuid().ToString("N"),
        Kind = TaskKind.Sign,
        State = TaskState.Completed,
        Requester = Pc,
        FinishedAt = at ?? DateTimeOffset.UtcNow,
        Images = [new("signature", Enumerable.Range(0, size).Select(i => (byte)i).ToArray())],
        Fields = [new("name", "张三")],
    };

    private static ResultsJournal Open(string dir, JournalOptions? options = null, TimeProvider? time = null) =>
        new(dir, options ?? new JournalOptions(), time ?? TimeProvider.System, NullLogger<ResultsJournal>.Instance);

    [Fact]
    public void A_result_is_on_disk_as_pending_before_it_is_announced_and_reads_back_identically()
    {
        using var state = new TempDir();
        var journal = Open(state.Path);
        string? seenOnDisk = null;
        journal.Appended += e => seenOnDisk = Directory.GetFiles(journal.Folder).Single(f => f.Contains(e.TaskId, StringComparison.Ordinal));

        var record = Signature();
        var entry = journal.Append(record);

        Assert.NotNull(seenOnDisk);
        Assert.EndsWith(".pending.json", seenOnDisk);
        Assert.Empty(Directory.GetFiles(journal.Folder, "*.tmp"));
        var back = journal.Read(entry)!;
        Assert.Equal(record.TaskId, back.TaskId);
        Assert.Equal(record.Image("signature"), back.Image("signature"));
        Assert.Equal("张三", back.Field("name"));
        Assert.Equal(Pc, back.Requester);
    }

    [Fact]
    public void Pending_and_delivered_results_survive_a_restart_and_delivery_is_marked_once()
    {
        using var state = new TempDir();
        long first, second;
        {
            var journal = Open(state.Path);
            first = journal.Append(Signature()).Sequence;
            second = journal.Append(Signature()).Sequence;
            Assert.True(journal.MarkDelivered(first));
            Assert.False(journal.MarkDelivered(first));
        }
        var reopened = Open(state.Path);
        Assert.Equal([second], reopened.Undelivered("uos", Pc.Peer).Select(e => e.Sequence));
        Assert.True(reopened.Find(first)!.Delivered);
        Assert.Empty(reopened.Undelivered("uos", "198.51.100.1"));
        Assert.True(reopened.Append(Signature()).Sequence > second);
    }

    [Fact]
    public void A_write_interrupted_before_its_rename_is_discarded_and_a_corrupt_file_is_set_aside()
    {
        using var state = new TempDir();
        var journal = Open(state.Path);
        journal.Append(Signature());
        File.WriteAllText(Path.Combine(journal.Folder, "000000000099-abc.pending.json.tmp"), "{\"half");
        File.WriteAllText(Path.Combine(journal.Folder, "000000000098-def.pending.json"), "not json");

        var reopened = Open(state.Path);

        Assert.Single(reopened.Entries);
        Assert.Empty(Directory.GetFiles(journal.Folder, "*.tmp"));
        Assert.Single(Directory.GetFiles(journal.Folder, "*.corrupt"));
    }

    [Fact]
    public void Retention_drops_the_oldest_delivered_first_then_by_age()
    {
        using var state = new TempDir();
        var journal = Open(state.Path, new JournalOptions { MaxEntries = 3 });
        var a = journal.Append(Signature("a"));
        var b = journal.Append(Signature("b"));
        journal.Append(Signature("c"));
        journal.MarkDelivered(b.Sequence);

        journal.Append(Signature("d"));

        Assert.Equal(["a", "c", "d"], journal.Entries.Select(e => e.TaskId));
        Assert.Equal(3, Directory.GetFiles(journal.Folder).Length);
        Assert.Contains(a.Sequence, journal.Entries.Select(e => e.Sequence));

        var aged = Open(state.Path, new JournalOptions { MaxAgeHours = 1 });
        aged.Append(Signature("old", DateTimeOffset.UtcNow.AddHours(-2)));
        Assert.DoesNotContain("old", aged.Entries.Select(e => e.TaskId));
    }

    [Fact]
    public void Retention_by_bytes_keeps_the_folder_under_its_limit()
    {
        using var state = new TempDir();
        var journal = Open(state.Path, new JournalOptions { MaxBytes = 1024 * 1024 });
        for (var i = 0; i < 8; i++) journal.Append(Signature(size: 200_000));
        var bytes = Directory.GetFiles(journal.Folder).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes <= 1024 * 1024, $"{bytes} bytes on disk");
        Assert.True(journal.Entries.Count < 8);
    }

    [Fact]
    public void Options_name_the_key_that_is_wrong()
    {
        Assert.Null(new JournalOptions().Validate());
        Assert.Equal("journal:maxEntries: expected at least 1, found 0", new JournalOptions { MaxEntries = 0 }.Validate());
    }
}
