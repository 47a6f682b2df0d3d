using Appliance.Host.Memory;

namespace Appliance.Host.Tests.Memory;

public sealed class BoundedBlockPoolTests
{
    [Fact]
    public void Returned_blocks_are_reused_up_to_the_cap_and_the_rest_go_to_the_gc()
    {
        using var pool = new BoundedBlockPool();
        var rented = Enumerable.Range(0, BoundedBlockPool.MaxFreeBlocks + 100).Select(_ => pool.Rent()).ToList();
        Assert.All(rented, b => Assert.Equal(BoundedBlockPool.BlockSize, b.Memory.Length));
        foreach (var block in rented) block.Dispose();
        Assert.Equal(BoundedBlockPool.MaxFreeBlocks, pool.FreeBlocks);

        var again = pool.Rent();
        Assert.Contains(again, rented);
        Assert.Equal(BoundedBlockPool.MaxFreeBlocks - 1, pool.FreeBlocks);
        again.Dispose();
    }

    [Fact]
    public void Trim_lets_every_free_block_go_and_renting_goes_on()
    {
        var factory = new BoundedBlockPoolFactory();
        using var pool = factory.Create(new Microsoft.AspNetCore.Connections.MemoryPoolOptions());
        var blocks = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());
        Assert.Equal(10, factory.FreeBlocks);

        factory.TrimAll();
        Assert.Equal(0, factory.FreeBlocks);
        using var fresh = pool.Rent();
        Assert.DoesNotContain(fresh, blocks);
    }

    [Fact]
    public void A_block_larger_than_4_KiB_is_refused()
    {
        using var pool = new BoundedBlockPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(BoundedBlockPool.BlockSize + 1));
    }
}
