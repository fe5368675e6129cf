// benchmarks/RedLeaf.Benchmarks/Native/maglev.c: the `bench apps` rows maglev-c-b1 and maglev-c-b32: the Maglev
// balancer of domains/workloads/maglev and the ixgbe-like NIC driver of domains/drivers/nic written in C, on the
// same device model (machine/Devices/Ixgbe: its generator, its descriptor rings, its checking sink). The nearest
// thing here to the paper's C-on-DPDK Maglev row: C, polling, batches, no kernel and no isolation in the loop.
// Built by gcc at build time into native/libredleafbench.so and driven by Native/NativeMaglev.cs, one call per
// chunk of frames.
//
// The same work per batch as MaglevApp.Forward over IxgbeDriver: the driver (nic_driver.h, shared with kv.c) posts
// the batch's empty buffers and collects what arrived; for each frame, look its 5-tuple up in the connection
// table (linear probing, 2^21 slots: twice the suite's 1,048,576 flows; at most 64 probes) and on a miss in the
// Maglev table (built on the host by MaglevTable.cs and copied in), rewrite the destination MAC and IPv4 address
// and recompute the IPv4 checksum (MaglevFrame.cs, byte for byte: the sink checks every frame against the host's
// header for its flow); the driver queues the frames in the transmit ring and collects the sent buffers as the
// next batch. Registers are reached through two function pointers into the managed device (the emulated MMIO),
// so each doorbell or head read is a native-to-managed transition; the device runs its generator and sink then.
// What it does not do: no shared heap (buffers are plain memory named by the descriptors' buffer fields, which
// the C driver writes itself, as a DPDK driver does), no ownership moves or checks, no bounds-checked ring
// capability, no domains or stop checks, no RpcResult; the frame header is rewritten in place, not copied out
// and back as the domain does through RRefArray's checked CopyTo/CopyFrom.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nic_driver.h"

enum { HEADER_BYTES = 42, CONN_SLOTS = 1 << 21, MAX_PROBE = 64 };

typedef struct {
    rl_nic nic;
    // the balancer
    int32_t *table, table_size;
    uint64_t *conn_addresses, *conn_ports;
    int32_t *conn_backend;
    int64_t connections;
} rl_maglev;

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

static int32_t balance(void *app, rl_frame *q, int32_t n)
{
    rl_maglev *m = app;
    int32_t frames = 0;
    for (int32_t i = 0; i < n; i++)
    {
        if (q[i].length < HEADER_BYTES) continue;
        uint8_t *h = buffer_at(&m->nic, q[i].buffer);
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

// ---- the entry points (Native/NativeMaglev.cs) ----

// Rings of ring_entries descriptors at rx and tx; buffer_count 2048-byte buffers at buffers inside memory; the
// Maglev table copied from table. Returns NULL when out of memory.
rl_maglev *rl_maglev_new(rl_write_reg write_reg, rl_read_reg read_reg, uint8_t *rx, uint8_t *tx, int32_t ring_entries,
                         uint8_t *memory, uint8_t *buffers, int32_t buffer_count, const int32_t *table, int32_t table_size)
{
    rl_maglev *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    int32_t nic = nic_init(&m->nic, write_reg, read_reg, rx, tx, ring_entries, memory, buffers, buffer_count);
    m->table = malloc((size_t)table_size * sizeof(int32_t));
    m->table_size = table_size;
    m->conn_addresses = calloc(CONN_SLOTS, sizeof(uint64_t));
    m->conn_ports = calloc(CONN_SLOTS, sizeof(uint64_t));
    m->conn_backend = calloc(CONN_SLOTS, sizeof(int32_t));
    if (nic != 0 || !m->table || !m->conn_addresses || !m->conn_ports || !m->conn_backend)
    {
        nic_free(&m->nic); free(m->table);
        free(m->conn_addresses); free(m->conn_ports); free(m->conn_backend); free(m);
        return NULL;
    }
    memcpy(m->table, table, (size_t)table_size * sizeof(int32_t));
    nic_start(&m->nic);
    return m;
}

// MaglevApp.Setup (nic_setup). -1 if buffers run out.
int32_t rl_maglev_setup(rl_maglev *m, int32_t batch, int32_t receive_buffers) { return nic_setup(&m->nic, batch, receive_buffers, balance, m); }

// MaglevApp.Forward: batches until at least `packets` frames were forwarded; returns how many.
int64_t rl_maglev_forward(rl_maglev *m, int64_t packets) { return nic_run(&m->nic, packets, balance, m); }

int64_t rl_maglev_connections(rl_maglev *m) { return m->connections; }
int64_t rl_maglev_transmitted(rl_maglev *m) { return m->nic.transmitted; }

void rl_maglev_free(rl_maglev *m)
{
    if (!m) return;
    nic_free(&m->nic); free(m->table);
    free(m->conn_addresses); free(m->conn_ports); free(m->conn_backend); free(m);
}
