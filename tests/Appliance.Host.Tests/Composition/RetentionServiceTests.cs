using Appliance.Adapters.Storage;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Appliance.Host.Tests.Composition;

/// <summary>
/// Results pass <c>journal:maxAgeHours</c> while nothing is written; the prune service removes them from the folder.
/// The journal's clock and the service's timer are one fake clock: time is stepped, never waited for.
/// </summary>
public sealed class RetentionServiceTests
{
    private static readonly TaskRequester Pc = new("uos", "192.0.2.10", "uos-1");

    private static ResultRecord Result(DateTimeOffset finished) => new()
    {
        TaskId = Guid.NewGuid().ToString("N"),
        Kind = TaskKind.Sign,
        State = TaskState.Completed,
        Requester = Pc,
        FinishedAt = finished,
        Images = [new("signature", [1, 2, 3])],
    };

    [Fact]
    public async Task A_result_past_its_age_is_removed_from_an_idle_journal_and_a_younger_one_stays()
    {
        using var state = new TempDir();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var journal = new ResultsJournal(state.Path, new JournalOptions { MaxAgeHours = 1 }, clock, NullLogger<ResultsJournal>.Instance);
        var older = journal.Append(Result(clock.GetUtcNow() - TimeSpan.FromMinutes(60) + RetentionService.Interval / 2));
        var younger = journal.Append(Result(clock.GetUtcNow()));
        using var service = new RetentionService([journal], clock, NullLogger<RetentionService>.Instance);
        await service.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            // One tick later the older result is past the hour: gone, from the list and the folder.
            clock.Advance(RetentionService.Interval);
            await UntilAsync(() => journal.Entries.All(e => e.TaskId != older.TaskId));
            Assert.Equal([younger.TaskId], journal.Entries.Select(e => e.TaskId));
            Assert.DoesNotContain(Directory.GetFiles(journal.Folder), f => f.Contains(older.TaskId, StringComparison.Ordinal));
            Assert.Contains(Directory.GetFiles(journal.Folder), f => f.Contains(younger.TaskId, StringComparison.Ordinal));

            // Nothing written since: the younger one goes too once it is past the hour.
            clock.Advance(TimeSpan.FromMinutes(60));
            await UntilAsync(() => journal.Entries.Count == 0);
            Assert.Empty(Directory.GetFiles(journal.Folder, "*.json"));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The service runs the prune on its own thread after the tick: poll for what it leaves behind.</summary>
    private static async Task UntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the journal was never pruned");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
