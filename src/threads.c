/*
 * threads.c — a team of threads for one pass's products (threads.h): the caller publishes a job
 * (a function, its context, a range of units for each thread) by bumping a job counter; the
 * helpers, who spin on that counter for a while after each job and then sleep, each work through
 * their own range from its start, then take what is left of the others' from their ends, and
 * count the units done. The products of a mini-batch of 10 are a few hundred microseconds long,
 * so a helper must start within a microsecond or two: it spins first (a wake-up from sleep costs
 * tens of microseconds) and sleeps only when no job came for a while (between epochs, or never
 * again). Taking from the others' ends is what keeps a job from waiting on its slowest thread
 * (a slower core, a core the system lends elsewhere, a helper not yet awake) while each thread
 * still works mostly on the units it had last time, in its cache. Natively the helpers are
 * pthreads; in WebAssembly they are Workers on the same shared memory that call
 * nndl_threads_help(). Not here: what a job computes (the kernels).
 */
#if !defined(__EMSCRIPTEN__)
#define _GNU_SOURCE /* sched_getaffinity: the cores this process may use */
#endif
#include "threads.h"

#include "internal.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__EMSCRIPTEN__) && defined(__wasm_atomics__)
#define WASM_THREADS 1 /* helpers are Workers; sleeping is memory.atomic.wait */
#elif defined(__EMSCRIPTEN__)
#define NO_THREADS 1 /* a build without shared memory: a team of one */
#else
#include <pthread.h>
#include <sched.h>
#endif

/* Spins before a helper sleeps, or the caller yields its core, in pause instructions: a few
 * hundred microseconds, longer than any gap between the products of a pass. */
enum { SPINS = 1 << 16 };
/* Below this much work per thread (multiply-adds: threads.h), a few microseconds, a loop stays on
 * fewer threads: the helpers' start and the caches' traffic would cost more than the split saves. */
#define PARALLEL_MIN_WORK 131072.0

/* What is left of one thread's range of a job: its first unit not yet taken times 2^32, plus the
 * end of what is left. Its thread takes from the start, the others from the end, each with one
 * compare-and-swap. */
typedef struct left_of_range {
    _Atomic uint64_t span;
    char apart[56]; /* the next range's word on another cache line: taking from one's own range
                       stays in one's own cache */
} left_of_range;

struct nndl_threads {
    /* first, what the helpers read at every job and the caller writes only while it sets one up.
     * The job's number times 256 plus its ranges (0 while the caller sets the job up): bumped for
     * every job (and once more to stop), so that a helper learns in one read both that a job came
     * and whether it takes part */
    _Atomic uint64_t job;
    _Atomic int stop;
    _Atomic int ready;           /* helpers that have joined, numbered 1.. as they come     */
    int count;
    /* the job, written while its number says "setting up", read after by those taking part */
    nndl_range_fn *fn;
    void *ctx;
    size_t grain;
    char apart[64]; /* what the threads write while they work, on other cache lines than what
                       the spinning helpers read */
    _Atomic int pending;         /* units of the current job not yet done                    */
    _Atomic int working;         /* helpers taking part in the current job (setup waits)     */
    _Atomic unsigned long taken; /* pieces a thread took from another's range              */
    _Atomic int inside;          /* helpers in nndl_threads_help (freeing waits for none)    */
    _Atomic int busy;            /* a thread has entered the team for a pass                 */
    char apart_too[64];
    left_of_range left[NNDL_MAX_THREADS];
#if !defined(WASM_THREADS) && !defined(NO_THREADS)
    _Atomic int sleepers;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t helper[NNDL_MAX_THREADS];
    int started;
#endif
};

/* The team this thread entered for its pass, if any. */
static _Thread_local nndl_threads *current;

static inline void pause_once(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Range `part` of `parts` over units: contiguous, sizes differing by one at most. */
static size_t range_start(size_t units, int part, int parts) { return units * (size_t)part / (size_t)parts; }

static uint64_t span_of(size_t first, size_t end) { return (uint64_t)first << 32 | (uint64_t)end; }

/* Takes `grain` units of what is left of a range (all of it when less than two grains are left:
 * no piece smaller than a grain), from its start (its own thread) or from its end (another); 0
 * when nothing is left. */
static int take(left_of_range *r, size_t grain, int from_end, size_t *first, size_t *end) {
    uint64_t span = atomic_load_explicit(&r->span, memory_order_relaxed);
    for (;;) {
        size_t a = (size_t)(span >> 32), b = (size_t)(span & 0xffffffffu);
        if (a >= b) return 0;
        size_t n = b - a < 2 * grain ? b - a : grain;
        *first = from_end ? b - n : a, *end = from_end ? b : a + n;
        uint64_t rest = from_end ? span_of(a, b - n) : span_of(a + n, b);
        if (atomic_compare_exchange_weak_explicit(&r->span, &span, rest, memory_order_relaxed, memory_order_relaxed))
            return 1;
    }
}

/* Thread `part`'s share of the current job: its own range from the start, then what the others
 * have left, from their ends, the next thread's first. The units it made are counted off
 * `pending`, released: whoever sees the count reach zero sees every unit's results. */
static void work_on(nndl_threads *t, int part, int parts) {
    size_t first, end, done = 0;
    unsigned long taken = 0;
    for (int k = 0; k < parts; k++) {
        left_of_range *r = &t->left[(part + k) % parts];
        while (take(r, t->grain, k > 0, &first, &end)) {
            t->fn(t->ctx, first, end);
            done += end - first, taken += k > 0;
        }
    }
    /* counted once, when nothing is left to take: the count's line moves between the cores once
     * per thread and job, not once per piece */
    if (taken) atomic_fetch_add_explicit(&t->taken, taken, memory_order_relaxed);
    if (done) atomic_fetch_sub_explicit(&t->pending, (int)done, memory_order_release);
}

/* ------------------------------------------------------------------ sleeping and waking */

/* A helper that saw no new job for a while sleeps until the job moves past `seen`. */
static void sleep_past(nndl_threads *t, uint64_t seen) {
#if defined(WASM_THREADS)
    while (atomic_load(&t->job) == seen && !atomic_load(&t->stop))
        __builtin_wasm_memory_atomic_wait64((int64_t *)&t->job, (int64_t)seen, -1);
#elif !defined(NO_THREADS)
    /* sleepers is raised before the job is read under the lock: a caller that publishes one
     * afterwards sees the sleeper and broadcasts, one that published before is seen here */
    atomic_fetch_add(&t->sleepers, 1);
    pthread_mutex_lock(&t->lock);
    while (atomic_load(&t->job) == seen && !atomic_load(&t->stop)) pthread_cond_wait(&t->wake, &t->lock);
    pthread_mutex_unlock(&t->lock);
    atomic_fetch_sub(&t->sleepers, 1);
#else
    (void)t, (void)seen;
#endif
}

/* After a new job is published. Publishing it and reading `sleepers` here, like a sleeper's raising
 * `sleepers` and reading the job, are sequentially consistent, so that one of the two sees the
 * other: a store-then-load of two variables needs it. */
static void wake_helpers(nndl_threads *t) {
#if defined(WASM_THREADS)
    __builtin_wasm_memory_atomic_notify((int *)&t->job, (unsigned)t->count);
#elif !defined(NO_THREADS)
    if (atomic_load(&t->sleepers) == 0) return;
    pthread_mutex_lock(&t->lock);
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
#else
    (void)t;
#endif
}

/* The caller waits for a count the helpers bring down to 0 (the units of a job not yet done, the
 * helpers still looking at the last job): spinning, then giving its core away (a helper may be
 * waiting for one when the machine is busy). */
static void wait_for_zero(_Atomic int *count) {
    int left;
    for (long spins = 0; (left = atomic_load(count)) > 0; spins++) {
        pause_once();
        if (spins < SPINS) continue;
#if defined(WASM_THREADS)
        __builtin_wasm_memory_atomic_wait32((int *)count, left, 1000000); /* a helper's notify, or 1 ms */
#elif !defined(NO_THREADS)
        sched_yield();
#endif
    }
}

/* ------------------------------------------------------------------------ the helpers */

void nndl_threads_help(nndl_threads *t) {
    /* numbered as it comes: a job split before this helper came has fewer ranges than its number */
    atomic_fetch_add(&t->inside, 1);
    uint64_t seen = atomic_load_explicit(&t->job, memory_order_acquire);
    int index = atomic_fetch_add(&t->ready, 1) + 1;
    for (;;) {
        uint64_t now;
        long spins = 0;
        /* stop is checked too: a helper that starts after its team was freed (made and freed at
         * once) reads the last job as its first and would wait for another forever (a CLI hung so) */
        while ((now = atomic_load_explicit(&t->job, memory_order_acquire)) == seen && !atomic_load(&t->stop)) {
            if (++spins < SPINS) pause_once();
            else sleep_past(t, seen), spins = 0;
        }
        seen = now;
        if (atomic_load(&t->stop)) break;
        int parts = (int)(now & 255);
        if (index >= parts) continue; /* being set up (0), or not needed for this job */
        /* counted in before the job is read, then the job read again: a caller setting up the
         * next one either sees this helper and waits, or has moved the number on and is seen */
        atomic_fetch_add(&t->working, 1);
        if (atomic_load(&t->job) == now) work_on(t, index, parts);
        atomic_fetch_sub_explicit(&t->working, 1, memory_order_release);
#if defined(WASM_THREADS) /* a caller asleep on either count wakes */
        __builtin_wasm_memory_atomic_notify((int *)&t->pending, 1);
        __builtin_wasm_memory_atomic_notify((int *)&t->working, 1);
#endif
    }
    atomic_fetch_sub(&t->inside, 1);
}

#if !defined(WASM_THREADS) && !defined(NO_THREADS)
static void *helper_main(void *team) {
    nndl_threads_help(team);
    return NULL;
}
#endif

/* --------------------------------------------------------------------------- the team */

int nndl_threads_create(nndl_threads **out, int count, nndl_error *err) {
    *out = NULL;
    if (count < 1 || count > NNDL_MAX_THREADS)
        return nndl_fail(err, NNDL_E_INVALID, "threads must be 1 to %d, got %d", NNDL_MAX_THREADS, count);
#if defined(NO_THREADS)
    if (count > 1)
        return nndl_fail(err, NNDL_E_INVALID, "this build of nndl has no threads (WebAssembly without shared memory)");
#endif
    nndl_threads *t = nndl_zalloc(sizeof *t, "the threads", err);
    if (!t) return NNDL_E_NOMEM;
    t->count = count;
#if !defined(WASM_THREADS) && !defined(NO_THREADS)
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    for (int i = 1; i < count; i++) {
        if (pthread_create(&t->helper[i], NULL, helper_main, t)) {
            nndl_threads_free(t);
            return nndl_fail(err, NNDL_E_NOMEM, "the system refused thread %d of %d", i + 1, count);
        }
        t->started = i;
    }
#endif
    *out = t;
    return nndl_ok(err);
}

void nndl_threads_free(nndl_threads *t) {
    if (!t) return;
    atomic_store(&t->stop, 1);
    atomic_fetch_add(&t->job, 256); /* sequentially consistent: see wake_helpers */
    wake_helpers(t);
#if !defined(WASM_THREADS) && !defined(NO_THREADS)
    for (int i = 1; i <= t->started; i++) pthread_join(t->helper[i], NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
#else
    /* the Workers that came leave on their own: the team's memory must outlive them */
    while (atomic_load(&t->inside) > 0) pause_once();
#endif
    free(t);
}

int nndl_threads_count(const nndl_threads *t) { return t ? t->count : 1; }

int nndl_threads_ready(const nndl_threads *t) { return t ? atomic_load((_Atomic int *)&t->ready) : 0; }

#if defined(WASM_THREADS)
extern void __wasm_init_tls(void *storage); /* made by the linker: a thread's storage, set up */

size_t nndl_threads_storage_size(void) { return __builtin_wasm_tls_size() + __builtin_wasm_tls_align(); }

void nndl_threads_help_in(nndl_threads *t, void *storage) {
    size_t align = __builtin_wasm_tls_align();
    __wasm_init_tls((void *)(((uintptr_t)storage + align - 1) / align * align));
    nndl_threads_help(t);
}
#endif

unsigned long nndl_threads_jobs(const nndl_threads *t) {
    return t ? (unsigned long)(atomic_load((_Atomic uint64_t *)&t->job) >> 8) : 0;
}

unsigned long nndl_threads_taken(const nndl_threads *t) {
    return t ? atomic_load((_Atomic unsigned long *)&t->taken) : 0;
}

int nndl_threads_enter(nndl_threads *t) {
    if (!t || t->count == 1 || current) return 0;
    if (atomic_exchange(&t->busy, 1)) return 0; /* another thread's pass: this one works alone */
    current = t;
    return 1;
}

void nndl_threads_leave(nndl_threads *t, int entered) {
    if (!entered) return;
    current = NULL;
    atomic_store(&t->busy, 0);
}

nndl_threads *nndl_threads_alone(void) {
    nndl_threads *t = current;
    current = NULL;
    return t;
}

void nndl_threads_rejoin(nndl_threads *t) { current = t; }

void nndl_parallel(size_t units, size_t grain, double work, nndl_range_fn *fn, void *ctx) {
    nndl_threads *t = current;
    int parts = t ? 1 + atomic_load(&t->ready) : 1;
    if (grain < 1) grain = 1;
    if ((size_t)parts > units / grain) parts = (int)(units / grain);
    if (work < PARALLEL_MIN_WORK * parts) parts = (int)(work / PARALLEL_MIN_WORK); /* as many as it pays for */
    if (parts <= 1 || units > INT32_MAX) {
        fn(ctx, 0, units);
        return;
    }
    /* set up while the number says so (parts 0); a helper still looking at the last job's ranges
     * (it found nothing left to take) is waited for before they are written again */
    uint64_t number = (atomic_load_explicit(&t->job, memory_order_relaxed) >> 8) + 1; /* only this thread writes it */
    atomic_store(&t->job, number << 8);
    wait_for_zero(&t->working); /* sequentially consistent: see nndl_threads_help */
    t->fn = fn, t->ctx = ctx, t->grain = grain;
    for (int i = 0; i < parts; i++)
        atomic_store_explicit(&t->left[i].span, span_of(range_start(units, i, parts), range_start(units, i + 1, parts)),
                              memory_order_relaxed);
    atomic_store_explicit(&t->pending, (int)units, memory_order_relaxed);
    atomic_store(&t->job, number << 8 | (uint64_t)parts); /* sequentially consistent: see wake_helpers */
    wake_helpers(t);
    current = NULL; /* a range that splits a loop of its own (a layer's fused job) runs it alone */
    work_on(t, 0, parts);
    current = t;
    wait_for_zero(&t->pending);
}

int nndl_cores(void) {
#if defined(WASM_THREADS) || defined(NO_THREADS)
    return 1; /* a page knows navigator.hardwareConcurrency; the core does not */
#else
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    return n < 1 ? 1 : n > NNDL_MAX_THREADS ? NNDL_MAX_THREADS : n;
#endif
}
