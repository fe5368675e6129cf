// benchmarks/RedLeaf.Benchmarks/Native/kv.c: the `bench apps` rows kv-c-<mix>-b1 and -b32: the key-value store of
// domains/workloads/kv and the ixgbe-like NIC driver of domains/drivers/nic written in C, on the same device model
// (machine/Devices/Ixgbe: its generator writing the host's requests, its descriptor rings, its sink checking every
// reply against the host's model). Built by gcc at build time into native/libredleafbench.so and driven by
// Native/NativeKv.cs, one call per chunk of requests.
//
// The driver is maglev.c's, copied (the same work per batch as IxgbeDriver.SubmitAndPoll). Per request, the same
// work as KvApp: swap the frame's source and destination, then GET or SET in a partitioned open-addressing table
// (KvTable.cs: partition by the key hash's top bits, linear probing inside it from the hash's low bits, 64-byte
// value slots zero past the value) and write the reply in place (KvFrame.cs's format). Registers go through two
// function pointers into the managed device, as in maglev.c. What it does not do: no shared heap, ownership moves,
// ring capability, domains, stop checks or RpcResults, and the frame is answered in place, not copied out of its
// RRefArray and back.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// machine/Devices/Ixgbe/IxgbeRegisters.cs
enum { REG_CONTROL = 0x0000, REG_IMC = 0x0888, REG_RX_HEAD = 0x1010, REG_RX_TAIL = 0x1018, REG_RX_CONTROL = 0x3000,
       REG_TX_HEAD = 0x6010, REG_TX_TAIL = 0x6018, REG_TX_CONTROL = 0x6028 };
enum { DESC_BYTES = 16, DESC_BUFFER = 0, DESC_LENGTH = 8, DESC_COMMAND = 10, DESC_STATUS = 11 };
enum { CMD_EOP = 1, CMD_RS = 8, ST_DONE = 1, ST_ERROR = 0x80 };
#define CTRL_RESET (1u << 26)
#define RX_ENABLE 1u
#define TX_ENABLE (1u << 25)

enum { BUFFER_BYTES = 2048, FRAME_BYTES = 136, OP = 58, STATUS = 59, LENGTH = 60, KEY = 64, VALUE = 72, MAX_VALUE = 64 };
enum { GET = 1, SET = 2, REPLY = 0x80, OK = 0, NOT_FOUND = 1, FULL = 2, BAD_REQUEST = 3 };

typedef void (*rl_write_reg)(int32_t offset, uint32_t value);
typedef uint32_t (*rl_read_reg)(int32_t offset);

typedef struct { int32_t buffer; int32_t length; } rl_frame; // a buffer by index, and its frame's length (0: empty)

typedef struct {
    rl_write_reg write_reg;
    rl_read_reg read_reg;
    uint8_t *rx, *tx;           // the device's descriptor rings
    int32_t mask, stash;
    int32_t rx_tail, rx_clean, tx_tail, tx_clean;
    int32_t *rx_buffer, *tx_buffer; // per descriptor, the buffer it names
    int32_t *spare, spare_count, *backlog, backlog_head, backlog_count;
    uint8_t *memory;            // physical memory's host base: buffer fields hold addresses relative to it
    uint8_t *buffers;           // the buffer area, inside memory
    int32_t buffer_count, next_buffer;
    int64_t received, transmitted, dropped;
    // the store
    uint64_t *keys;
    uint8_t *lengths, *values;
    int32_t partition_shift, slot_mask, slots_per_partition;
    int64_t stored;
    rl_frame *batch;
    int32_t batch_cap, batch_count;
} rl_kv;

static inline uint8_t *buffer_at(rl_kv *m, int32_t b) { return m->buffers + (size_t)b * BUFFER_BYTES; }

static inline uint64_t buffer_field(rl_kv *m, int32_t b)
{
    return ((uint64_t)BUFFER_BYTES << 48) | (uint64_t)(buffer_at(m, b) - m->memory);
}

static inline uint8_t *desc(uint8_t *ring, int32_t slot) { return ring + (size_t)slot * DESC_BYTES; }

// ---- the driver (IxgbeDriver.SubmitAndPoll) ----

static void drv_receive(rl_kv *m, rl_frame *q, int32_t *count, int32_t capacity)
{
    int32_t room = (m->rx_clean - m->rx_tail - 1) & m->mask, taken = 0, n = *count;
    for (int32_t i = 0;; )
    {
        int32_t b;
        if (room > 0 && m->spare_count > 0) b = m->spare[--m->spare_count];
        else if (i < n) b = q[i++].buffer;
        else break;
        if (room == 0)
        {
            if (m->spare_count < m->stash) { m->spare[m->spare_count++] = b; continue; }
            abort(); // the managed driver hands such buffers back; the C store never gives it that many
        }
        uint8_t *d = desc(m->rx, m->rx_tail);
        d[DESC_STATUS] = 0;
        __atomic_store_n((uint64_t *)(d + DESC_BUFFER), buffer_field(m, b), __ATOMIC_RELEASE);
        m->rx_buffer[m->rx_tail] = b;
        m->rx_tail = (m->rx_tail + 1) & m->mask;
        room--;
    }
    m->write_reg(REG_RX_TAIL, (uint32_t)m->rx_tail);

    int32_t head = -1;
    while (taken < capacity && m->rx_clean != m->rx_tail)
    {
        uint8_t *d = desc(m->rx, m->rx_clean);
        uint8_t st = __atomic_load_n(d + DESC_STATUS, __ATOMIC_ACQUIRE);
        if (!(st & ST_DONE))
        {
            if (head < 0) { head = (int32_t)m->read_reg(REG_RX_HEAD); st = __atomic_load_n(d + DESC_STATUS, __ATOMIC_ACQUIRE); }
            if (!(st & ST_DONE))
            {
                if (head == m->rx_clean) break;
                st = ST_ERROR;
            }
        }
        int32_t length = *(uint16_t *)(d + DESC_LENGTH), b = m->rx_buffer[m->rx_clean];
        *(uint64_t *)(d + DESC_BUFFER) = 0;
        m->rx_clean = (m->rx_clean + 1) & m->mask;
        if (st & ST_ERROR)
        {
            m->dropped++;
            if (m->spare_count < m->stash) m->spare[m->spare_count++] = b;
            else q[taken++] = (rl_frame){ b, 0 };
            continue;
        }
        m->received++;
        q[taken++] = (rl_frame){ b, length };
    }
    *count = taken;
}

static void drv_transmit(rl_kv *m, rl_frame *q, int32_t *count, int32_t capacity)
{
    int32_t room = (m->tx_clean - m->tx_tail - 1) & m->mask, n = *count, filled = 0;
    for (int32_t i = 0;; )
    {
        rl_frame p;
        if (room > 0 && m->backlog_count > 0) { p = (rl_frame){ m->backlog[m->backlog_head], 0 }; p.length = m->backlog[m->backlog_head + 1]; m->backlog_head = (m->backlog_head + 2) % (2 * m->stash); m->backlog_count--; }
        else if (i < n) p = q[i++];
        else break;
        if (room == 0 || m->backlog_count > 0)
        {
            if (m->backlog_count >= m->stash) abort(); // as above: never with this store's batches
            int32_t at = (m->backlog_head + 2 * m->backlog_count) % (2 * m->stash);
            m->backlog[at] = p.buffer;
            m->backlog[at + 1] = p.length;
            m->backlog_count++;
            continue;
        }
        uint8_t *d = desc(m->tx, m->tx_tail);
        *(uint16_t *)(d + DESC_LENGTH) = (uint16_t)p.length;
        d[DESC_COMMAND] = CMD_EOP | CMD_RS;
        d[DESC_STATUS] = 0;
        __atomic_store_n((uint64_t *)(d + DESC_BUFFER), buffer_field(m, p.buffer), __ATOMIC_RELEASE);
        m->tx_buffer[m->tx_tail] = p.buffer;
        m->tx_tail = (m->tx_tail + 1) & m->mask;
        room--;
    }
    m->write_reg(REG_TX_TAIL, (uint32_t)m->tx_tail);

    int32_t head = -1;
    while (filled < capacity && m->tx_clean != m->tx_tail)
    {
        uint8_t *d = desc(m->tx, m->tx_clean);
        uint8_t st = __atomic_load_n(d + DESC_STATUS, __ATOMIC_ACQUIRE);
        if (!(st & ST_DONE))
        {
            if (head < 0) { head = (int32_t)m->read_reg(REG_TX_HEAD); st = __atomic_load_n(d + DESC_STATUS, __ATOMIC_ACQUIRE); }
            if (!(st & ST_DONE))
            {
                if (head == m->tx_clean) break;
                st = ST_ERROR;
            }
        }
        if (st & ST_ERROR) m->dropped++;
        else m->transmitted++;
        *(uint64_t *)(d + DESC_BUFFER) = 0;
        q[filled++] = (rl_frame){ m->tx_buffer[m->tx_clean], 0 };
        m->tx_clean = (m->tx_clean + 1) & m->mask;
    }
    *count = filled;
}

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

static int32_t serve(rl_kv *m, rl_frame *q, int32_t n)
{
    int32_t served = 0;
    for (int32_t i = 0; i < n; i++)
    {
        if (q[i].length < FRAME_BYTES) continue;
        answer(m, buffer_at(m, q[i].buffer));
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
    m->write_reg = write_reg; m->read_reg = read_reg;
    m->rx = rx; m->tx = tx; m->mask = ring_entries - 1; m->stash = 2 * ring_entries;
    m->memory = memory; m->buffers = buffers; m->buffer_count = buffer_count;
    int bits = 0;
    while ((1 << bits) < partitions) bits++;
    m->partition_shift = 64 - bits; m->slot_mask = slots_per_partition - 1; m->slots_per_partition = slots_per_partition;
    m->rx_buffer = calloc((size_t)ring_entries, sizeof(int32_t));
    m->tx_buffer = calloc((size_t)ring_entries, sizeof(int32_t));
    m->spare = calloc((size_t)m->stash, sizeof(int32_t));
    m->backlog = calloc((size_t)m->stash * 2, sizeof(int32_t));
    m->keys = calloc(slots, sizeof(uint64_t));
    m->lengths = calloc(slots, 1);
    m->values = calloc(slots, MAX_VALUE);
    if (!m->rx_buffer || !m->tx_buffer || !m->spare || !m->backlog || !m->keys || !m->lengths || !m->values)
    {
        free(m->rx_buffer); free(m->tx_buffer); free(m->spare); free(m->backlog);
        free(m->keys); free(m->lengths); free(m->values); free(m);
        return NULL;
    }
    // IxgbeDriver's constructor
    m->write_reg(REG_CONTROL, CTRL_RESET);
    m->write_reg(REG_IMC, 0xFFFFFFFFu);
    m->write_reg(REG_RX_CONTROL, RX_ENABLE);
    m->write_reg(REG_TX_CONTROL, TX_ENABLE);
    return m;
}

// KvApp.Setup: the batch's empty buffers, and receive_buffers more handed to the driver (requests that arrive
// meanwhile answered and sent; the sent buffers that come back are spare and dropped). -1 if buffers run out.
int32_t rl_kv_setup(rl_kv *m, int32_t batch, int32_t receive_buffers)
{
    if (batch + receive_buffers > m->buffer_count) return -1;
    m->batch = calloc((size_t)batch, sizeof(rl_frame));
    rl_frame *q = calloc((size_t)batch, sizeof(rl_frame));
    if (!m->batch || !q) { free(q); return -1; }
    m->batch_cap = batch;
    for (int32_t i = 0; i < batch; i++) m->batch[i] = (rl_frame){ m->next_buffer++, 0 };
    m->batch_count = batch;
    for (int32_t given = 0; given < receive_buffers; given += batch)
    {
        int32_t n = receive_buffers - given < batch ? receive_buffers - given : batch;
        for (int32_t i = 0; i < n; i++) q[i] = (rl_frame){ m->next_buffer++, 0 };
        drv_receive(m, q, &n, batch);
        serve(m, q, n);
        drv_transmit(m, q, &n, batch);
    }
    free(q);
    return 0;
}

// KvApp.Serve: batches until at least `requests` requests were served; returns how many.
int64_t rl_kv_serve(rl_kv *m, int64_t requests)
{
    int64_t served = 0;
    rl_frame *q = m->batch;
    int32_t n = m->batch_count;
    while (served < requests)
    {
        drv_receive(m, q, &n, m->batch_cap);
        served += serve(m, q, n);
        drv_transmit(m, q, &n, m->batch_cap);
    }
    m->batch_count = n;
    return served;
}

int64_t rl_kv_stored(rl_kv *m) { return m->stored; }

void rl_kv_free(rl_kv *m)
{
    if (!m) return;
    free(m->rx_buffer); free(m->tx_buffer); free(m->spare); free(m->backlog);
    free(m->keys); free(m->lengths); free(m->values); free(m->batch); free(m);
}
