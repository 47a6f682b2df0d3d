using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Appliance.Host.Memory;

/// <summary>
/// Kestrel's buffers (socket reads, request and response pipes, WebSocket frames) as 4 KiB pinned blocks, with a cap
/// on how many free blocks are kept. Kestrel's own pool keeps every block it ever handed out and gives them back
/// only 1-5 % per 10 s: after 200 WebSockets and a burst of bodies it held about 2,450 blocks (10 MB of GC heap) for
/// minutes (measured, docs/BUDGETS.md). Here a returned block beyond <see cref="MaxFreeBlocks"/> is left to the GC,
/// and <see cref="Trim"/> (the idle collection) drops the rest.
/// </summary>
public sealed class BoundedBlockPool : MemoryPool<byte>
{
    public const int BlockSize = 4096;

    /// <summary>Free blocks kept for reuse (1 MiB): enough for a few dozen busy connections without allocating.</summary>
    public const int MaxFreeBlocks = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Free blocks held right now.</summary>
    public int FreeBlocks => Volatile.Read(ref _freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block;
        }
        return new Block(this);
    }

    /// <summary>Lets every free block go to the GC.</summary>
    public void Trim()
    {
        while (_free.TryDequeue(out _)) Interlocked.Decrement(ref _freeCount);
    }

    private void Return(Block block)
    {
        if (_disposed) return;
        if (Interlocked.Increment(ref _freeCount) <= MaxFreeBlocks) _free.Enqueue(block);
        else Interlocked.Decrement(ref _freeCount);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        Trim();
    }

    private sealed class Block(BoundedBlockPool pool) : IMemoryOwner<byte>
    {
        // Pinned (the pinned object heap), as Kestrel's blocks are: sockets pin every buffer they read into.
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => _array;

        public void Dispose() => pool.Return(this);
    }
}

/// <summary>
/// Hands Kestrel a <see cref="BoundedBlockPool"/> for each transport (.NET 10 asks <see cref="IMemoryPoolFactory{T}"/>
/// from the services) and remembers them, so the idle collection can trim them all.
/// </summary>
public sealed class BoundedBlockPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly ConcurrentBag<WeakReference<BoundedBlockPool>> _pools = [];

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new BoundedBlockPool();
        _pools.Add(new WeakReference<BoundedBlockPool>(pool));
        return pool;
    }

    /// <summary>Free blocks held by every pool still alive.</summary>
    public int FreeBlocks => Alive().Sum(p => p.FreeBlocks);

    public void TrimAll()
    {
        foreach (var pool in Alive()) pool.Trim();
    }

    private IEnumerable<BoundedBlockPool> Alive()
    {
        foreach (var reference in _pools)
            if (reference.TryGetTarget(out var pool)) yield return pool;
    }
}
