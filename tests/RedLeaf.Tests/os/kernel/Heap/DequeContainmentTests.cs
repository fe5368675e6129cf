// tests/os/kernel/Heap: leaves pushed into an RRefDeque are owned through the deque (os/abi/Runtime/HeapAccess
// Contain/Release): the deque crosses a domain boundary with one store, and what that must not change
// still holds: a handle copied out of a deque is dead to its old owner once the deque moves, only a
// domain's own RRefs go in, a leaf inside may be lent but not moved or dropped, the heap's counts and snapshots name the real owner, drops and crash cleanup
// take the leaves with the deque, and deques whose elements hold trees are still moved by a walk.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class DequeContainmentTests
{
    private static RRefDeque<RRef<Payload>> Batch(int n, int capacity = 8)
    {
        var q = RRefDeque<RRef<Payload>>.New(capacity);
        for (int i = 0; i < n; i++) Assert.True(q.TryPushBack(RRef<Payload>.New(new Payload(i, 100 + i))));
        return q;
    }

    [Fact]
    public void ABatchMovesAcrossAndBackWithItsPayloadsAndTheCalleeWritesThem()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var batch = Batch(5);
            var first = batch[0];
            var back = domB.Bump(batch).Value;
            Assert.Equal(5, back.Count);
            for (int i = 0; i < 5; i++) Assert.Equal((i + 1, 100L + i), (back[i].Value.A, back[i].Value.B));
            Assert.Equal(1, first.Value.A); // a copy taken while it sat in the deque reads what the callee wrote
            Assert.All(k.Heap.Snapshot().Nodes, n => Assert.Equal(Microkernel.KernelId, n.Owner));
            back.Drop();
            Assert.Equal(0, k.Heap.LiveObjects);
        }
    }

    [Fact]
    public void AHandleCopiedOutOfADequeIsUseAfterMoveOnceTheDequeIsGone()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var batch = Batch(3);
            var copy = batch[1];
            Assert.Equal(3, domB.KeepBatch(batch).Value);

            var read = Assert.Throws<OwnershipViolationException>(() => copy.Value);
            Assert.Contains($"owned by domain {b.Id}", read.Message);
            Assert.Contains("use after move", read.Message);
            Assert.Throws<OwnershipViolationException>(() => copy.Value = new Payload(0, 0));
            Assert.Throws<OwnershipViolationException>(() => batch.TryPopFront(out _));
            Assert.Equal(b.Id, k.Heap.OwnerOf(copy)); // the snapshot names the deque's owner
            Assert.Equal((4, 16L + 8 * 8 + 3 * 16), k.Heap.OwnedBy(b.Id));

            Assert.Equal(1, domB.DropKept().Value);
            Assert.Equal(0, k.Heap.LiveObjects); // the deque took its payloads with it
        }
    }

    [Fact]
    public void OnlyTheDomainsOwnLiveRRefsGoInAndARefusedPushChangesNothing()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var q = RRefDeque<RRef<Payload>>.New(4);
            var given = domB.Produce(1, 2).Value;
            Assert.Equal(3, domB.Keep(given).Value); // moved away: the copy left here is not ours
            var moved = Assert.Throws<OwnershipViolationException>(() => q.TryPushBack(given));
            Assert.Contains($"owned by domain {b.Id}", moved.Message);
            Assert.Equal(0, q.Count);

            var mine = RRef<Payload>.New(new Payload(7, 8));
            Assert.True(q.TryPushBack(mine));
            var twice = Assert.Throws<OwnershipViolationException>(() => q.TryPushBack(mine));
            Assert.Contains("already sits in RRefDeque", twice.Message);
            Assert.Equal(1, q.Count);

            var dead = RRef<Payload>.New(new Payload(0, 0));
            dead.Drop();
            Assert.Contains("use after free", Assert.Throws<OwnershipViolationException>(() => q.TryPushBack(dead)).Message);
            Assert.Equal(1, q.Count);
            Assert.True(q.TryPushBack(default)); // a null handle holds nothing: allowed
            Assert.Equal(2, q.Count);
        }
    }

    [Fact]
    public void ALeafInADequeCanBeLentButNotMovedOrDroppedUntilPopped()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var batch = Batch(2);
            var inside = batch[0];
            Assert.Equal(0 * 1000 + 100, domB.Inspect(inside).Value); // a borrow of a leaf the caller owns through the deque

            var move = Assert.Throws<OwnershipViolationException>(() => domB.Keep(inside));
            Assert.Contains("sits in RRefDeque", move.Message);
            Assert.Contains("pop it out first", Assert.Throws<OwnershipViolationException>(() => inside.Drop()).Message);
            Assert.Equal(2, batch.Count);

            Assert.True(batch.TryPopFront(out var popped));
            Assert.Equal(inside, popped);
            Assert.Equal(100, domB.Keep(popped).Value); // out of the deque it is the caller's own again, and moves
            Assert.Equal(b.Id, k.Heap.OwnerOf(popped));
        }
    }

    [Fact]
    public void ADequeWhoseElementsHoldTreesIsMovedWholeByAWalk()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using var scope = k.Enter();
            var q = RRefDeque<RRef<Pair>>.New(4);
            for (int i = 0; i < 3; i++) Assert.True(q.TryPushBack(HeapProbe.NewPair(i, 10 + i, tag: i)));
            var back = domB.SwapPairs(q).Value;
            for (int i = 0; i < 3; i++)
            {
                var pair = back[i].Value;
                Assert.Equal((10L + i, (long)i), (pair.Left.Value.A, pair.Right.Value.A)); // the callee could read and rewrite every level
            }
            Assert.All(k.Heap.Snapshot().Nodes, n => Assert.Equal(Microkernel.KernelId, n.Owner));
            Assert.Equal(1 + 3 * 3, k.Heap.LiveObjects);
            back.Drop();
            Assert.Equal(0, k.Heap.LiveObjects);
        }
    }

    [Fact]
    public async Task ACrashedDomainsDequesAreDroppedWithTheirLeaves()
    {
        var (k, b, domB) = TestDomains.WithDomB();
        using (k)
        {
            using (k.Enter()) Assert.Equal(4, domB.KeepBatch(Batch(4)).Value);
            Assert.Equal(5, k.Heap.LiveObjects);
            Assert.Equal(RpcErrorKind.CalleeCrashed, domB.Crash().Error.Kind);
            await HeapProbe.CollectedWithin(b.LastCrash!, TimeSpan.FromSeconds(30));
            Assert.Equal(0, k.Heap.LiveObjects);
        }
    }
}
