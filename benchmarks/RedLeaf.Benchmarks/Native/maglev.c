// benchmarks/RedLeaf.Benchmarks/Native/maglev.c: the `bench apps` rows maglev-c-b1 and maglev-c-b32: the Maglev
// balancer of domains/workloads/maglev and the ixgbe-like NIC driver of domains/drivers/nic written in C, on the
// same device model (machine/Devices/Ixgbe: its generator, its descriptor rings, its checking sink). The nearest
// thing here to the paper's C-on-DPDK Maglev row: C, polling, batches, no kernel and no isolation in the loop.
// Built by gcc at build time into native/libredleafbench.so and driven by Apps/NativeMaglev.cs, one call per
// chunk of frames.
//
// The same work per batch as MaglevApp.Forward over IxgbeDriver: post the batch's empty buffers in the receive
// ring (those the ring cannot take wait as spares), ring the receive doorbell, collect what arrived (reading
// the head register once if a descriptor is not done yet); for each frame, look its 5-tuple up in the
// connection table (linear probing, 2^21 slots: twice the suite's 1,048,576 flows; at most 64 probes) and on a miss in the Maglev table (built on
// the host by MaglevTable.cs and copied in), rewrite the destination MAC and IPv4 address and recompute the
// IPv4 checksum (MaglevFrame.cs, byte for byte: the sink checks every frame against the host's header for its
// flow); queue the frames in the transmit ring, ring its doorbell, collect the sent buffers as the next batch.
// Registers are reached through two function pointers into the managed device (the emulated MMIO), so each
// doorbell or head read is a native-to-managed transition; the device runs its generator and sink then.
// What it does not do: no shared heap (buffers are plain memory named by the descriptors' buffer fields, which
// the C driver writes itself, as a DPDK driver does), no ownership moves or checks, no bounds-checked ring
// capability, no domains or stop checks, no RpcResult; the frame header is rewritten in place, not copied out
// and back as the domain does through RRefArray's checked CopyTo/CopyFrom.
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

enum { BUFFER_BYTES = 2048, HEADER_BYTES = 42, CONN_SLOTS = 1 << 21, MAX_PROBE = 64 };

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
    // the balancer
    int32_t *table, table_size;
    uint64_t *conn_addresses, *conn_ports;
    int32_t *conn_backend;
    int64_t connections;
    rl_frame *batch;
    int32_t batch_cap, batch_count;
} rl_maglev;

static inline uint8_t *buffer_at(rl_maglev *m, int32_t b) { return m->buffers + (size_t)b * BUFFER_BYTES; }

static inline uint64_t buffer_field(rl_maglev *m, int32_t b)
{
    return ((uint64_t)BUFFER_BYTES << 48) | (uint64_t)(buffer_at(m, b) - m->memory);
}

static inline uint8_t *desc(uint8_t *ring, int32_t slot) { return ring + (size_t)slot * DESC_BYTES; }

// ---- the driver (IxgbeDriver.SubmitAndPoll) ----

static void drv_receive(rl_maglev *m, rl_frame *q, int32_t *count, int32_t capacity)
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
            abort(); // the managed driver hands such buffers back; the C balancer never gives it that many
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

static void drv_transmit(rl_maglev *m, rl_frame *q, int32_t *count, int32_t capacity)
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
            if (m->backlog_count >= m->stash) abort(); // as above: never with this balancer's batches
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

// ---- the balancer (MaglevApp.Balance, MaglevFrame) ----

static inline uint64_t flow_hash(uint64_t addresses, uint64_t ports)
{
    uint64_t h = addresses * 0x9E3779B97F4A7C15ULL ^ ports * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29; h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

static inline int32_t table_lookup(rl_maglev *m, uint64_t hash)
{
    return m->table[(int32_t)(((hash >> 32) * (uint64_t)m->table_size) >> 32)];
}

static inline void rewrite(uint8_t *h, int32_t backend)
{
    h[0] = 0x02; h[1] = 0x42; h[2] = 0; h[3] = 0; h[4] = (uint8_t)(backend >> 8); h[5] = (uint8_t)backend;
    h[30] = 10; h[31] = 2; h[32] = (uint8_t)(backend >> 8); h[33] = (uint8_t)backend;
    h[24] = 0; h[25] = 0;
    uint32_t sum = 0;
    for (int i = 14; i < 34; i += 2) sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
    sum = ~sum;
    h[24] = (uint8_t)(sum >> 8); h[25] = (uint8_t)sum;
}

static int32_t balance(rl_maglev *m, rl_frame *q, int32_t n)
{
    int32_t frames = 0;
    for (int32_t i = 0; i < n; i++)
    {
        if (q[i].length < HEADER_BYTES) continue;
        uint8_t *h = buffer_at(m, q[i].buffer);
        uint64_t addresses, ports32 = 0;
        memcpy(&addresses, h + 26, 8); // little-endian, as MaglevFrame.Key puts it together
        memcpy(&ports32, h + 34, 4);
        uint64_t ports = (ports32 & 0xFFFFFFFFULL) | (uint64_t)h[23] << 32 | 1ULL << 63;
        uint64_t hash = flow_hash(addresses, ports);
        int32_t slot = (int32_t)hash & (CONN_SLOTS - 1), backend = -1;
        for (int probe = 0; probe < MAX_PROBE; probe++)
        {
            if (m->conn_ports[slot] == 0)
            {
                backend = table_lookup(m, hash);
                m->conn_addresses[slot] = addresses;
                m->conn_ports[slot] = ports;
                m->conn_backend[slot] = backend;
                m->connections++;
                break;
            }
            if (m->conn_ports[slot] == ports && m->conn_addresses[slot] == addresses) { backend = m->conn_backend[slot]; break; }
            slot = (slot + 1) & (CONN_SLOTS - 1);
        }
        if (backend < 0) backend = table_lookup(m, hash);
        rewrite(h, backend);
        frames++;
    }
    return frames;
}

// ---- the entry points (Apps/NativeMaglev.cs) ----

// Rings of ring_entries descriptors at rx and tx; buffer_count 2048-byte buffers at buffers inside memory; the
// Maglev table copied from table. Returns NULL when out of memory.
rl_maglev *rl_maglev_new(rl_write_reg write_reg, rl_read_reg read_reg, uint8_t *rx, uint8_t *tx, int32_t ring_entries,
                         uint8_t *memory, uint8_t *buffers, int32_t buffer_count, const int32_t *table, int32_t table_size)
{
    rl_maglev *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->write_reg = write_reg; m->read_reg = read_reg;
    m->rx = rx; m->tx = tx; m->mask = ring_entries - 1; m->stash = 2 * ring_entries;
    m->memory = memory; m->buffers = buffers; m->buffer_count = buffer_count;
    m->rx_buffer = calloc((size_t)ring_entries, sizeof(int32_t));
    m->tx_buffer = calloc((size_t)ring_entries, sizeof(int32_t));
    m->spare = calloc((size_t)m->stash, sizeof(int32_t));
    m->backlog = calloc((size_t)m->stash * 2, sizeof(int32_t));
    m->table = malloc((size_t)table_size * sizeof(int32_t));
    m->table_size = table_size;
    m->conn_addresses = calloc(CONN_SLOTS, sizeof(uint64_t));
    m->conn_ports = calloc(CONN_SLOTS, sizeof(uint64_t));
    m->conn_backend = calloc(CONN_SLOTS, sizeof(int32_t));
    if (!m->rx_buffer || !m->tx_buffer || !m->spare || !m->backlog || !m->table || !m->conn_addresses || !m->conn_ports || !m->conn_backend)
    {
        free(m->rx_buffer); free(m->tx_buffer); free(m->spare); free(m->backlog); free(m->table);
        free(m->conn_addresses); free(m->conn_ports); free(m->conn_backend); free(m);
        return NULL;
    }
    memcpy(m->table, table, (size_t)table_size * sizeof(int32_t));
    // IxgbeDriver's constructor
    m->write_reg(REG_CONTROL, CTRL_RESET);
    m->write_reg(REG_IMC, 0xFFFFFFFFu);
    m->write_reg(REG_RX_CONTROL, RX_ENABLE);
    m->write_reg(REG_TX_CONTROL, TX_ENABLE);
    return m;
}

// MaglevApp.Setup: the batch's empty buffers, and receive_buffers more handed to the driver (frames that arrive
// meanwhile balanced and sent; the sent buffers that come back are spare and dropped). -1 if buffers run out.
int32_t rl_maglev_setup(rl_maglev *m, int32_t batch, int32_t receive_buffers)
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
        balance(m, q, n);
        drv_transmit(m, q, &n, batch);
    }
    free(q);
    return 0;
}

// MaglevApp.Forward: batches until at least `packets` frames were forwarded; returns how many.
int64_t rl_maglev_forward(rl_maglev *m, int64_t packets)
{
    int64_t forwarded = 0;
    rl_frame *q = m->batch;
    int32_t n = m->batch_count;
    while (forwarded < packets)
    {
        drv_receive(m, q, &n, m->batch_cap);
        forwarded += balance(m, q, n);
        drv_transmit(m, q, &n, m->batch_cap);
    }
    m->batch_count = n;
    return forwarded;
}

int64_t rl_maglev_connections(rl_maglev *m) { return m->connections; }
int64_t rl_maglev_transmitted(rl_maglev *m) { return m->transmitted; }

void rl_maglev_free(rl_maglev *m)
{
    if (!m) return;
    free(m->rx_buffer); free(m->tx_buffer); free(m->spare); free(m->backlog); free(m->table);
    free(m->conn_addresses); free(m->conn_ports); free(m->conn_backend); free(m->batch); free(m);
}
