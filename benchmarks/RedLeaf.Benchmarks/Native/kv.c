// benchmarks/RedLeaf.Benchmarks/Native/kv.c: the `bench apps` rows kv-c-<mix>-b1 and -b32: the key-value store of
// domains/workloads/kv and the ixgbe-like NIC driver of domains/drivers/nic written in C, on the same device model
// (machine/Devices/Ixgbe: its generator writing the host's requests, its descriptor rings, its sink checking every
// reply against the host's model). Built by gcc at build time into native/libredleafbench.so and driven by
// Native/NativeKv.cs, one call per chunk of requests.
//
// The driver is nic_driver.h's, shared with maglev.c (the same work per batch as IxgbeDriver.SubmitAndPoll,
// registers through two function pointers into the managed device). Per request, the same work as KvApp: swap the
// frame's source and destination, then GET or SET in a partitioned open-addressing table (KvTable.cs: partition
// by the key hash's top bits, linear probing inside it from the hash's low bits, 64-byte value slots zero past
// the value) and write the reply in place (KvFrame.cs's format). What it does not do: no shared heap, ownership
// moves, ring capability, domains, stop checks or RpcResults, and the frame is answered in place, not copied out
// of its RRefArray and back.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nic_driver.h"

enum { FRAME_BYTES = 136, OP = 58, STATUS = 59, LENGTH = 60, KEY = 64, VALUE = 72, MAX_VALUE = 64 };
enum { GET = 1, SET = 2, REPLY = 0x80, OK = 0, NOT_FOUND = 1, FULL = 2, BAD_REQUEST = 3 };

typedef struct {
    rl_nic nic;
    // the store
    uint64_t *keys;
    uint8_t *lengths, *values;
    int32_t partition_shift, slot_mask, slots_per_partition;
    int64_t stored;
} rl_kv;

// ---- the store (KvApp.Answer, KvTable, KvFrame) ----

static inline uint64_t key_hash(uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 31; h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
}

// The key's slot (*found set), or the empty slot it would take, or -1: not found and its partition full.
static int32_t find(rl_kv *m, uint64_t key, int *found)
{
    uint64_t h = key_hash(key);
    int32_t start = m->partition_shift == 64 ? 0 : (int32_t)(h >> m->partition_shift) * m->slots_per_partition;
    int32_t i = (int32_t)h & m->slot_mask;
    for (int32_t probe = 0; probe <= m->slot_mask; probe++)
    {
        int32_t slot = start + i;
        if (m->lengths[slot] == 0) { *found = 0; return slot; }
        if (m->keys[slot] == key) { *found = 1; return slot; }
        i = (i + 1) & m->slot_mask;
    }
    *found = 0;
    return -1;
}

static inline void swap_bytes(uint8_t *h, int a, int b, int n)
{
    for (int i = 0; i < n; i++) { uint8_t t = h[a + i]; h[a + i] = h[b + i]; h[b + i] = t; }
}

static void answer(rl_kv *m, uint8_t *f)
{
    swap_bytes(f, 0, 6, 6); swap_bytes(f, 26, 30, 4); swap_bytes(f, 34, 36, 2);
    uint8_t op = f[OP];
    int32_t length = f[LENGTH], found;
    uint64_t key;
    memcpy(&key, f + KEY, 8); // little-endian
    f[OP] = (uint8_t)(op | REPLY);
    if (op == GET)
    {
        int32_t slot = find(m, key, &found);
        if (found) { f[STATUS] = OK; f[LENGTH] = (uint8_t)(m->lengths[slot] - 1); memcpy(f + VALUE, m->values + (size_t)slot * MAX_VALUE, MAX_VALUE); }
        else { f[STATUS] = NOT_FOUND; f[LENGTH] = 0; memset(f + VALUE, 0, MAX_VALUE); }
    }
    else if (op == SET && length <= MAX_VALUE)
    {
        int32_t slot = find(m, key, &found);
        if (slot < 0) { f[STATUS] = FULL; return; }
        if (!found) { m->keys[slot] = key; m->stored++; }
        m->lengths[slot] = (uint8_t)(length + 1);
        uint8_t *v = m->values + (size_t)slot * MAX_VALUE;
        memcpy(v, f + VALUE, (size_t)length);
        memset(v + length, 0, (size_t)(MAX_VALUE - length));
        f[STATUS] = OK;
    }
    else { f[STATUS] = BAD_REQUEST; f[LENGTH] = 0; }
}

static int32_t serve(void *app, rl_frame *q, int32_t n)
{
    rl_kv *m = app;
    int32_t served = 0;
    for (int32_t i = 0; i < n; i++)
    {
        if (q[i].length < FRAME_BYTES) continue;
        answer(m, buffer_at(&m->nic, q[i].buffer));
        served++;
    }
    return served;
}

// ---- the entry points (Native/NativeKv.cs) ----

// Rings of ring_entries descriptors at rx and tx; buffer_count 2048-byte buffers at buffers inside memory; a table of
// partitions x slots_per_partition slots (powers of two). Returns NULL when out of memory.
rl_kv *rl_kv_new(rl_write_reg write_reg, rl_read_reg read_reg, uint8_t *rx, uint8_t *tx, int32_t ring_entries,
                 uint8_t *memory, uint8_t *buffers, int32_t buffer_count, int32_t partitions, int32_t slots_per_partition)
{
    rl_kv *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    size_t slots = (size_t)partitions * (size_t)slots_per_partition;
    int32_t nic = nic_init(&m->nic, write_reg, read_reg, rx, tx, ring_entries, memory, buffers, buffer_count);
    int bits = 0;
    while ((1 << bits) < partitions) bits++;
    m->partition_shift = 64 - bits; m->slot_mask = slots_per_partition - 1; m->slots_per_partition = slots_per_partition;
    m->keys = calloc(slots, sizeof(uint64_t));
    m->lengths = calloc(slots, 1);
    m->values = calloc(slots, MAX_VALUE);
    if (nic != 0 || !m->keys || !m->lengths || !m->values)
    {
        nic_free(&m->nic);
        free(m->keys); free(m->lengths); free(m->values); free(m);
        return NULL;
    }
    nic_start(&m->nic);
    return m;
}

// KvApp.Setup (nic_setup). -1 if buffers run out.
int32_t rl_kv_setup(rl_kv *m, int32_t batch, int32_t receive_buffers) { return nic_setup(&m->nic, batch, receive_buffers, serve, m); }

// KvApp.Serve: batches until at least `requests` requests were served; returns how many.
int64_t rl_kv_serve(rl_kv *m, int64_t requests) { return nic_run(&m->nic, requests, serve, m); }

int64_t rl_kv_stored(rl_kv *m) { return m->stored; }

void rl_kv_free(rl_kv *m)
{
    if (!m) return;
    nic_free(&m->nic);
    free(m->keys); free(m->lengths); free(m->values); free(m);
}
