// benchmarks/RedLeaf.Benchmarks/Native/nullnet.c: the `bench net` rows nullnet-c-b1 and nullnet-c-b32: the nullnet
// transmit loop of domains/drivers/nullnet and domains/workloads/net_app written in C, the nearest thing on this
// machine to the paper's DPDK row (C, polling, batches, no kernel and no isolation in the loop). Built by gcc at
// build time into native/libredleafbench.so (RedLeaf.Benchmarks.csproj, target BuildNativeBench) and driven by
// Native/NativeNullNet.cs, one call per chunk of packets.
//
// Same work per packet as NullNetDriver.SubmitAndPoll in the "driver" configuration (net_app_nullnet: the driver
// linked into the application): pop the packet from the front of the submitted batch, push it at the back of the
// completed one, count it; per batch, the application calls the driver (through a function pointer, as the
// linked C# calls it through its INet interface), takes back the completed batch, adds its count, and submits it
// again; the driver keeps the submitted ring as its spare for the next batch.
// Same memory layout as the C# rings (os/abi/Ownership/RRefDeque.cs): a block with a 16-byte header {head,
// count} followed by the elements, each a Packet {8-byte buffer handle, 4-byte length} padded to 16 bytes; the
// capacity kept beside the block (as the shared heap's entry keeps it); the same range checks of head and count
// on every push and pop (the C# ones throw on a torn ring; these abort). Buffers are 2048-byte malloc'd blocks,
// as the application's RRefArray<byte> buffers are 2048 bytes.
// What it does not do: no ownership (the C# ring checks that the running domain owns it on every push and pop,
// and moves each packet's buffer RRef into the ring and out again, rewriting its owner), no domains (no current
// domain lookup, no stop checks of the instrumentation), no RpcResult wrapping. Those are what our driver rows
// pay beyond it.
#include <stdint.h>
#include <stdlib.h>

typedef struct { uint64_t buffer; int32_t length; int32_t pad; } rl_packet;
typedef struct { int32_t head, count; uint8_t unused[8]; rl_packet slots[]; } rl_ring_block;
typedef struct { rl_ring_block *block; int32_t capacity; } rl_ring;

_Static_assert(sizeof(rl_packet) == 16, "a Packet element is 16 bytes, as in the C# ring");
_Static_assert(sizeof(rl_ring_block) == 16, "the ring's header is 16 bytes, as in the C# ring");

typedef struct rl_nullnet_driver {
    rl_ring spare;
    int64_t received, transmitted;
} rl_nullnet_driver;

typedef rl_ring (*rl_submit_and_poll)(rl_nullnet_driver *driver, rl_ring packets, int transmit);

typedef struct {
    rl_submit_and_poll submit_and_poll; // the driver's one entry, called through a pointer
    rl_nullnet_driver *driver;
    rl_ring batch;
    int64_t sent;
} rl_nullnet;

enum { rl_buffer_bytes = 2048 };

static rl_ring rl_ring_new(int32_t capacity)
{
    rl_ring r = { calloc(1, sizeof(rl_ring_block) + (size_t)capacity * sizeof(rl_packet)), capacity };
    if (!r.block) abort();
    return r;
}

static inline void rl_ring_check(const rl_ring *r)
{
    if ((uint32_t)r->block->head >= (uint32_t)r->capacity || (uint32_t)r->block->count > (uint32_t)r->capacity) abort();
}

static inline int rl_push_back(rl_ring *r, rl_packet item)
{
    rl_ring_check(r);
    rl_ring_block *b = r->block;
    if (b->count == r->capacity) return 0;
    int32_t slot = b->head + b->count;
    if (slot >= r->capacity) slot -= r->capacity;
    b->slots[slot] = item;
    b->count++;
    return 1;
}

static inline int rl_pop_front(rl_ring *r, rl_packet *item)
{
    rl_ring_check(r);
    rl_ring_block *b = r->block;
    if (b->count == 0) return 0;
    rl_packet *slot = &b->slots[b->head];
    *item = *slot;
    *slot = (rl_packet){ 0 };
    b->head = b->head + 1 == r->capacity ? 0 : b->head + 1;
    b->count--;
    return 1;
}

// NullNetDriver.SubmitAndPoll: every packet submitted completes at once.
static rl_ring rl_nullnet_submit_and_poll(rl_nullnet_driver *d, rl_ring packets, int transmit)
{
    if (!d->spare.block || d->spare.capacity < packets.capacity) {
        free(d->spare.block);
        d->spare = rl_ring_new(packets.capacity);
    }
    rl_ring done = d->spare;
    int64_t n = 0;
    rl_packet p;
    while (rl_pop_front(&packets, &p)) {
        if (!transmit) p.length = 64; // a "received" frame fills what nullnet's peer would send
        rl_push_back(&done, p);
        n++;
    }
    if (transmit) d->transmitted += n;
    else d->received += n;
    d->spare = packets;
    return done;
}

// NetApp.Setup: one batch of `batch` packets of 64 bytes, each with its own buffer.
rl_nullnet *rl_nullnet_new(int32_t batch)
{
    if (batch <= 0) return NULL;
    rl_nullnet *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->driver = calloc(1, sizeof *n->driver);
    if (!n->driver) { free(n); return NULL; }
    n->submit_and_poll = rl_nullnet_submit_and_poll;
    n->batch = rl_ring_new(batch);
    for (int32_t i = 0; i < batch; i++) {
        void *buffer = malloc(rl_buffer_bytes);
        if (!buffer) abort();
        rl_push_back(&n->batch, (rl_packet){ .buffer = (uint64_t)(uintptr_t)buffer, .length = 64 });
    }
    return n;
}

// NetApp.Transmit: submits the batch until at least `packets` went out; returns how many did.
int64_t rl_nullnet_transmit(rl_nullnet *n, int64_t packets)
{
    int64_t sent = 0;
    rl_ring q = n->batch;
    while (sent < packets) {
        q = n->submit_and_poll(n->driver, q, 1);
        sent += q.block->count;
    }
    n->batch = q;
    n->sent += sent;
    return sent;
}

// What the driver counted as transmitted, and the packets now in the application's batch (for the tests).
int64_t rl_nullnet_transmitted(const rl_nullnet *n) { return n->driver->transmitted; }
int32_t rl_nullnet_batch_count(const rl_nullnet *n) { return n->batch.block->count; }

void rl_nullnet_free(rl_nullnet *n)
{
    if (!n) return;
    rl_packet p;
    while (rl_pop_front(&n->batch, &p)) free((void *)(uintptr_t)p.buffer);
    free(n->batch.block);
    free(n->driver->spare.block);
    free(n->driver);
    free(n);
}
