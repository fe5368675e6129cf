// benchmarks/RedLeaf.Benchmarks/Native/nic_driver.h: the ixgbe-like NIC driver of domains/drivers/nic written in C,
// shared by the C baselines that run on the NIC model (maglev.c, kv.c; compiled into native/libredleafbench.so
// with them, see RedLeaf.Benchmarks.csproj). The same work per batch as IxgbeDriver.SubmitAndPoll: post the
// batch's empty buffers in the receive ring (those the ring cannot take wait as spares), ring the doorbell,
// collect what arrived (reading the head register once if a descriptor is not done yet); queue frames in the
// transmit ring, ring its doorbell, collect the sent buffers. Registers are reached through two function
// pointers into the managed device (the emulated MMIO), so each doorbell or head read is a native-to-managed
// transition; the device runs its generator and sink then. Buffers are plain memory named by the descriptors'
// buffer fields, which the driver writes itself, as a DPDK driver does: no shared heap, ownership, ring
// capability, domains, stop checks or RpcResults. An application embeds an rl_nic and runs its batch loop
// (nic_setup, nic_run) with its own work on each batch of received frames, done in place.
#ifndef RL_NIC_DRIVER_H
#define RL_NIC_DRIVER_H

#include <stdint.h>
#include <stdlib.h>

// machine/Devices/Ixgbe/IxgbeRegisters.cs
enum { REG_CONTROL = 0x0000, REG_IMC = 0x0888, REG_RX_HEAD = 0x1010, REG_RX_TAIL = 0x1018, REG_RX_CONTROL = 0x3000,
       REG_TX_HEAD = 0x6010, REG_TX_TAIL = 0x6018, REG_TX_CONTROL = 0x6028 };
enum { DESC_BYTES = 16, DESC_BUFFER = 0, DESC_LENGTH = 8, DESC_COMMAND = 10, DESC_STATUS = 11 };
enum { CMD_EOP = 1, CMD_RS = 8, ST_DONE = 1, ST_ERROR = 0x80 };
#define CTRL_RESET (1u << 26)
#define RX_ENABLE 1u
#define TX_ENABLE (1u << 25)

enum { BUFFER_BYTES = 2048 };

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
    rl_frame *batch;            // the application's batch between runs: sent buffers, empty again
    int32_t batch_cap, batch_count;
} rl_nic;

// An application's work on a batch of received frames q[0..n), in place; returns how many it counts (frames, requests).
typedef int32_t (*rl_work)(void *app, rl_frame *q, int32_t n);

static inline uint8_t *buffer_at(rl_nic *n, int32_t b) { return n->buffers + (size_t)b * BUFFER_BYTES; }

static inline uint64_t buffer_field(rl_nic *n, int32_t b)
{
    return ((uint64_t)BUFFER_BYTES << 48) | (uint64_t)(buffer_at(n, b) - n->memory);
}

static inline uint8_t *desc(uint8_t *ring, int32_t slot) { return ring + (size_t)slot * DESC_BYTES; }

// Rings of ring_entries descriptors at rx and tx; buffer_count 2048-byte buffers at buffers inside memory. Returns
// 0, or -1 when out of memory (nic_free then frees what was taken).
static inline int32_t nic_init(rl_nic *n, rl_write_reg write_reg, rl_read_reg read_reg, uint8_t *rx, uint8_t *tx, int32_t ring_entries,
                               uint8_t *memory, uint8_t *buffers, int32_t buffer_count)
{
    n->write_reg = write_reg; n->read_reg = read_reg;
    n->rx = rx; n->tx = tx; n->mask = ring_entries - 1; n->stash = 2 * ring_entries;
    n->memory = memory; n->buffers = buffers; n->buffer_count = buffer_count;
    n->rx_buffer = calloc((size_t)ring_entries, sizeof(int32_t));
    n->tx_buffer = calloc((size_t)ring_entries, sizeof(int32_t));
    n->spare = calloc((size_t)n->stash, sizeof(int32_t));
    n->backlog = calloc((size_t)n->stash * 2, sizeof(int32_t));
    return n->rx_buffer && n->tx_buffer && n->spare && n->backlog ? 0 : -1;
}

// IxgbeDriver's constructor: reset the device, mask its interrupts (the driver polls), enable both rings.
static inline void nic_start(rl_nic *n)
{
    n->write_reg(REG_CONTROL, CTRL_RESET);
    n->write_reg(REG_IMC, 0xFFFFFFFFu);
    n->write_reg(REG_RX_CONTROL, RX_ENABLE);
    n->write_reg(REG_TX_CONTROL, TX_ENABLE);
}

static inline void nic_free(rl_nic *n)
{
    free(n->rx_buffer); free(n->tx_buffer); free(n->spare); free(n->backlog); free(n->batch);
}

// Empty buffers q[0..*count) in, up to capacity received frames out (in q, *count of them).
static void drv_receive(rl_nic *m, rl_frame *q, int32_t *count, int32_t capacity)
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
            abort(); // the managed driver hands such buffers back; the C applications never give it that many
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

// Frames q[0..*count) out to the wire, up to capacity sent buffers back (in q, *count of them).
static void drv_transmit(rl_nic *m, rl_frame *q, int32_t *count, int32_t capacity)
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
            if (m->backlog_count >= m->stash) abort(); // as above: never with these applications' batches
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

// MaglevApp.Setup, KvApp.Setup: the batch's empty buffers, and receive_buffers more handed to the driver (frames
// that arrive meanwhile get the work and are sent; the sent buffers that come back are spare and dropped). -1 if
// buffers run out.
static inline int32_t nic_setup(rl_nic *m, int32_t batch, int32_t receive_buffers, rl_work work, void *app)
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
        work(app, q, n);
        drv_transmit(m, q, &n, batch);
    }
    free(q);
    return 0;
}

// MaglevApp.Forward, KvApp.Serve: batches until the work counted at least `count`; returns how many.
static inline int64_t nic_run(rl_nic *m, int64_t count, rl_work work, void *app)
{
    int64_t done = 0;
    rl_frame *q = m->batch;
    int32_t n = m->batch_count;
    while (done < count)
    {
        drv_receive(m, q, &n, m->batch_cap);
        done += work(app, q, n);
        drv_transmit(m, q, &n, m->batch_cap);
    }
    m->batch_count = n;
    return done;
}

#endif
