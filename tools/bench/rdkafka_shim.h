/* Stand-in for librdkafka's internal rd.h / rdtime.h, so the rdkafka_performance example that
 * Debian ships in librdkafka-dev builds against the public library alone. */
#ifndef SLUICE_RDKAFKA_SHIM_H
#define SLUICE_RDKAFKA_SHIM_H
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef int64_t rd_ts_t;

/* Monotonic microseconds, as librdkafka's rd_clock(). */
static inline rd_ts_t rd_clock(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (rd_ts_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

#define rd_snprintf snprintf
#define RD_MAX(a, b) ((a) > (b) ? (a) : (b))
#define RD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define RD_UNUSED __attribute__((unused))
#endif
