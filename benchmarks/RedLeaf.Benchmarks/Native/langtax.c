// benchmarks/RedLeaf.Benchmarks/Native/langtax.c: Figure 5's hash table in C, the language-tax baseline.
// Built by gcc at build time (see RedLeaf.Benchmarks.csproj, target BuildNativeBench) into
// native/libredleafbench.so and loaded by LangTax/NativeHashTable.cs. The timed loops live here,
// in C, and read the time-stamp counter themselves, so no managed-to-native crossing is timed.
// Same table as LangTax/CStyleHashTable.cs: open addressing, linear probing, FNV-1a over the
// key's 8 bytes, 16-byte slots {key, value}, key 0 marks an empty slot.
#include <stdint.h>
#include <stdlib.h>
#include <x86intrin.h>

#ifndef RL_CFLAGS
#error "RL_CFLAGS must name the flags this file was compiled with (the build passes it)"
#endif

typedef struct { uint64_t key, value; } rl_slot;
typedef struct { rl_slot *slots; uint64_t mask; uint64_t count; } rl_table;

static inline uint64_t rl_fnv1a(uint64_t key)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < 8; i++) {
        h ^= (key >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static inline uint64_t rl_now(void)
{
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
}

const char *rl_compiler(void) { return "gcc " __VERSION__; }
const char *rl_cflags(void) { return RL_CFLAGS; }

rl_table *rl_ht_new(int log2_slots)
{
    if (log2_slots < 1 || log2_slots > 40) return NULL;
    rl_table *t = malloc(sizeof *t);
    if (!t) return NULL;
    t->slots = calloc((size_t)1 << log2_slots, sizeof(rl_slot));
    if (!t->slots) { free(t); return NULL; }
    t->mask = ((uint64_t)1 << log2_slots) - 1;
    t->count = 0;
    return t;
}

void rl_ht_free(rl_table *t)
{
    if (t) { free(t->slots); free(t); }
}

// Inserts or updates. Returns 1 if the key was new, 0 if updated, -1 if the key is 0 or the table is full.
static inline int rl_set(rl_table *t, uint64_t key, uint64_t value)
{
    if (key == 0) return -1;
    uint64_t i = rl_fnv1a(key) & t->mask;
    for (uint64_t n = 0; n <= t->mask; n++, i = (i + 1) & t->mask) {
        rl_slot *s = &t->slots[i];
        if (s->key == key) { s->value = value; return 0; }
        if (s->key == 0) { s->key = key; s->value = value; t->count++; return 1; }
    }
    return -1;
}

// Returns 1 and stores the value if present, 0 if absent.
static inline int rl_get(const rl_table *t, uint64_t key, uint64_t *value)
{
    uint64_t i = rl_fnv1a(key) & t->mask;
    for (uint64_t n = 0; n <= t->mask; n++, i = (i + 1) & t->mask) {
        const rl_slot *s = &t->slots[i];
        if (s->key == key) { *value = s->value; return 1; }
        if (s->key == 0) return 0;
    }
    return 0;
}

int rl_ht_set(rl_table *t, uint64_t key, uint64_t value) { return rl_set(t, key, value); }
int rl_ht_get(const rl_table *t, uint64_t key, uint64_t *value) { return rl_get(t, key, value); }
uint64_t rl_ht_count(const rl_table *t) { return t->count; }

// Times n sets (value = key ^ salt) of the given keys; returns elapsed TSC ticks. *failures counts
// sets that did not succeed (must stay 0).
uint64_t rl_ht_time_set(rl_table *t, const uint64_t *keys, int64_t n, uint64_t salt, int64_t *failures)
{
    int64_t bad = 0;
    uint64_t t0 = rl_now();
    for (int64_t i = 0; i < n; i++)
        bad += rl_set(t, keys[i], keys[i] ^ salt) < 0;
    uint64_t t1 = rl_now();
    *failures = bad;
    return t1 - t0;
}

// Times n gets; returns elapsed TSC ticks. *sum is the sum of the values found, *misses the keys not found.
uint64_t rl_ht_time_get(const rl_table *t, const uint64_t *keys, int64_t n, uint64_t *sum, int64_t *misses)
{
    uint64_t total = 0;
    int64_t missed = 0;
    uint64_t t0 = rl_now();
    for (int64_t i = 0; i < n; i++) {
        uint64_t v = 0;
        if (rl_get(t, keys[i], &v)) total += v; else missed++;
    }
    uint64_t t1 = rl_now();
    *sum = total;
    *misses = missed;
    return t1 - t0;
}
