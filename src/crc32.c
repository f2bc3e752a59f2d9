/*
 * crc32.c — the CRC-32 (IEEE 802.3, as zlib's crc32() and PNG's chunks) shared by the model
 * file and the PNG reader. Not a general checksum library.
 */
#include "internal.h"

uint32_t nndl_crc32(uint32_t crc, const uint8_t *p, size_t n) {
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t c = ~crc;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return ~c;
}
