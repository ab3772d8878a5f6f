#include "sluice_crc32c.h"
#include <string.h>

// Reflected Castagnoli polynomial.
#define POLY 0x82F63B78u

static uint32_t table[8][256];
static int table_ready;
static int hardware_state = -1; // -1 unknown, 0 no, 1 yes

static void build_tables(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ POLY : c >> 1;
        table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = table[0][n];
        for (int k = 1; k < 8; k++) {
            c = table[0][c & 0xff] ^ (c >> 8);
            table[k][n] = c;
        }
    }
    __atomic_store_n(&table_ready, 1, __ATOMIC_RELEASE);
}

uint32_t sluice_crc32c_update_portable(uint32_t crc, const void *bytes, size_t length) {
    if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE)) build_tables();
    const unsigned char *p = bytes;
    uint32_t c = ~crc;
    // Slicing-by-8: eight table lookups per 8 input bytes.
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        uint32_t lo = (uint32_t)word ^ c;
        uint32_t hi = (uint32_t)(word >> 32);
        c = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^ table[4][lo >> 24] ^
            table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^ table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
        p += 8;
        length -= 8;
    }
    while (length--) c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

#if defined(__x86_64__)
#include <cpuid.h>

__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    uint64_t c = ~crc;
    while (length >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = __builtin_ia32_crc32di(c, w);
        p += 8;
        length -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (length--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}
#endif

int sluice_crc32c_is_hardware(void) {
    int state = __atomic_load_n(&hardware_state, __ATOMIC_ACQUIRE);
    if (state >= 0) return state;
#if defined(__x86_64__)
    unsigned int eax, ebx, ecx, edx;
    state = (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSE4_2)) ? 1 : 0;
#else
    state = 0;
#endif
    __atomic_store_n(&hardware_state, state, __ATOMIC_RELEASE);
    return state;
}

uint32_t sluice_crc32c_update(uint32_t crc, const void *bytes, size_t length) {
#if defined(__x86_64__)
    if (sluice_crc32c_is_hardware()) return crc32c_sse42(crc, bytes, length);
#endif
    return sluice_crc32c_update_portable(crc, bytes, length);
}
