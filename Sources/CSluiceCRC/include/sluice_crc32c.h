#ifndef SLUICE_CRC32C_H
#define SLUICE_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/// Extends a CRC-32C (Castagnoli) over `length` bytes. Start with crc = 0.
/// Uses the SSE4.2 crc32 instruction when the CPU has it, a table otherwise.
uint32_t sluice_crc32c_update(uint32_t crc, const void *bytes, size_t length);

/// 1 when the hardware path is in use, 0 for the table fallback.
int sluice_crc32c_is_hardware(void);

/// The table fallback alone, so tests can check both paths agree.
uint32_t sluice_crc32c_update_portable(uint32_t crc, const void *bytes, size_t length);
#endif
