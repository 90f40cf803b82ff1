// A small pool of native threads for mmae's kernels. The workers are started once (at the first
// parallelFor that needs them) and wait on a condition variable; the calling thread (Node's,
// blocked in the N-API call) claims parts of the work like a worker. A kernel splits its work
// with parallelFor so that each output element is written by one thread in the order the
// single-threaded loop would use: results are then bitwise the same for every thread count.
#pragma once
#include <cstdint>
#include <functional>

namespace mmae {

// The threads the process may run on: its CPU affinity where the system reports it, else
// std::thread::hardware_concurrency(), at least 1.
int defaultThreads();

// Sets how many threads (the caller included) kernels use; n ≥ 1. Called from the JS thread only,
// never while a kernel runs. Workers beyond n are kept, idle, for a later larger setting.
void setThreads(int n);

// The current setting (defaultThreads() until setThreads is called).
int threads();

// Calls fn(begin, end) on contiguous ranges that cover [0, items) once, in parallel: at most
// 2·threads() ranges, each of at least minItemsPerThread items (so small work stays on the calling
// thread, fn(0, items)). Returns when every range is done. Called from inside a part, or while
// another call holds the pool, it runs serially on the calling thread. Which thread runs a
// range varies from call to call; what fn computes for it must not depend on that.
void parallelFor(int64_t items, int64_t minItemsPerThread,
                 const std::function<void(int64_t begin, int64_t end)>& fn);

// Where the pool's time went, for the benchmarks (bench/workloads/kernel-profile.ts): counted
// only with MMAE_POOL_STATS=1 in the environment (two thread-CPU clock reads per part otherwise
// saved). Per parallelFor that ran on several threads: the CPU seconds of the parts on the
// calling thread, on all threads, and the busiest thread's (the critical path: what the call
// takes on free cores, whatever other processes take from them while it runs).
struct PoolStats {
  int64_t calls;
  double callerPartsSeconds, partsSeconds, criticalPathSeconds;
};
PoolStats poolStats();

// The calling thread's CPU seconds (CLOCK_THREAD_CPUTIME_ID).
double threadCpuSeconds();

}  // namespace mmae
