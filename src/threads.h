/*
 * threads.h — the threads that share a pass's products (issue 28): a fixed team of helpers that
 * wait for work, and nndl_parallel(), which splits a loop over independent units (column blocks
 * of a product, rows of an unrolled matrix, maps) into one contiguous range per thread, which
 * the others help finish. Every unit is computed by the same operations in the same order
 * whoever computes it, so the bits depend neither on the thread count nor on which thread made
 * what; only the time does. Not here: what the units are (the kernels
 * say), or reductions across threads (there are none: a sum stays in one thread).
 */
#ifndef NNDL_THREADS_H
#define NNDL_THREADS_H

#include "nndl.h"

#include <stddef.h>

typedef struct nndl_threads nndl_threads;

/* A team of `count` threads, the caller and count - 1 helpers that it starts now (1: none).
 * NNDL_E_INVALID for a count outside 1..NNDL_MAX_THREADS, or above 1 in a build without threads;
 * NNDL_E_NOMEM if the system refuses a thread. */
int nndl_threads_create(nndl_threads **out, int count, nndl_error *err);
/* Stops and joins the helpers. Never while a pass runs on the team. */
void nndl_threads_free(nndl_threads *team);
int nndl_threads_count(const nndl_threads *team);
/* Jobs the team has split so far (the tests check that a pass was shared at all). */
unsigned long nndl_threads_jobs(const nndl_threads *team);
/* Pieces a thread took from the end of another's range so far (the tests check that a slow
 * thread's work is taken over). */
unsigned long nndl_threads_taken(const nndl_threads *team);

/* Makes the team this thread's for a pass, unless another thread has it (two threads evaluating
 * one network): then this thread works alone, with the same bits. Returns what nndl_threads_leave
 * takes back. NULL team: alone. */
int nndl_threads_enter(nndl_threads *team);
void nndl_threads_leave(nndl_threads *team, int entered);

/* Calls fn(ctx, first, end) on pieces that cover units 0..units and returns when all are done.
 * Each thread of this thread's team has a contiguous range, the caller the first; it works
 * through it from its start, a grain at a time (no piece is smaller than `grain` units, the
 * least a call of fn should get: a column of a product's tiles, a band), then takes what another
 * thread has not yet started, from the end of that one's range. So a slow or late thread holds
 * up no one, while the pieces a thread makes are mostly those it made in the last pass. Alone
 * (no team, fewer than two grains, or less than a few microseconds of `work`, counted in
 * multiply-adds or floats moved) it calls fn(ctx, 0, units) itself. fn must write nothing
 * another piece writes, and make each unit the same way whatever piece it is in: then which
 * thread made what changes no bit. fn may call nndl_parallel itself (a layer's job made of
 * several kernels): inside a piece it runs alone. */
typedef void nndl_range_fn(void *ctx, size_t first, size_t end);
/* What `work` counts, in multiply-adds of a product's register tile (the cheapest thing a core
 * does, 16 a cycle with AVX2): a float copied costs about 8 of them, a float compared, summed in
 * a chain or activated about 16. */
#define NNDL_WORK_COPY 8.0
#define NNDL_WORK_SCALAR 16.0
void nndl_parallel(size_t units, size_t grain, double work, nndl_range_fn *fn, void *ctx);

/* Takes this thread out of its team's pass until nndl_threads_rejoin: what it splits in between
 * runs on it alone (products whose operands would cost more to move between the cores' caches
 * than to make). Returns what nndl_threads_rejoin takes back (NULL outside a pass). */
nndl_threads *nndl_threads_alone(void);
void nndl_threads_rejoin(nndl_threads *team);

/* WebAssembly: a helper Worker gives its thread to the team here, up to count - 1 of them, and
 * returns when the team is freed; jobs split before it came go on without it. Natively the
 * helpers are pthreads that the team starts itself. */
void nndl_threads_help(nndl_threads *team);
/* WebAssembly: the bytes a helper's thread storage needs, which the page allocates on the main
 * thread (a helper never allocates: the allocator's locks know only the threads Emscripten
 * started), and the helper's entry: its storage set up, then nndl_threads_help. */
size_t nndl_threads_storage_size(void);
void nndl_threads_help_in(nndl_threads *team, void *storage);

/* Helpers that have joined so far: a page starts its Workers, then waits for them all here before
 * the network trains, so that none can come after the team is freed. */
int nndl_threads_ready(const nndl_threads *team);

#endif
